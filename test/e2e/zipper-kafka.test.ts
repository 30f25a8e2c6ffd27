/** The zipper end to end over Kafka + moto S3 + Redis (cases in zipper-e2e-cases.ts). */
import { zipperCases } from './zipper-e2e-cases.js';

zipperCases('kafka');
