/** The reporter end to end over Kafka + moto S3 + Redis (cases in reporter-e2e-cases.ts). */
import { reporterCases } from './reporter-e2e-cases.js';

reporterCases('kafka');
