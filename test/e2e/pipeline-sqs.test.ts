/**
 * The pipeline as four processes over SQS (moto), with moto S3 and Redis: a ZIP of a prefix
 * and an XLSX of inline rows, asked for over HTTP and downloaded (pipeline-processes-support.ts).
 */
import { pipelineCases } from './pipeline-processes-support.js';

pipelineCases('sqs');
