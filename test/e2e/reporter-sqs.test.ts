/** The reporter end to end over SQS + moto S3 + Redis (cases in reporter-e2e-cases.ts). */
import { reporterCases } from './reporter-e2e-cases.js';

reporterCases('sqs');
