/**
 * The pipeline as four processes over Kafka, with moto S3 and Redis: a ZIP of a prefix and
 * an XLSX of inline rows, asked for over HTTP and downloaded (pipeline-processes-support.ts).
 */
import { pipelineCases } from './pipeline-processes-support.js';

pipelineCases('kafka');
