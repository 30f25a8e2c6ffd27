/**
 * The zipper end to end over SQS + moto S3 + Redis (cases in zipper-e2e-cases.ts). The
 * large archives — 70,000 tiny objects and one entry above 4 GiB — are in
 * zipper-large.slow.test.ts.
 */
import { zipperCases } from './zipper-e2e-cases.js';

zipperCases('sqs');
