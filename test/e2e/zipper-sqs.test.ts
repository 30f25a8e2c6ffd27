/**
 * The zipper end to end over SQS + moto S3 + Redis: the shared cases, plus 70,000 tiny
 * objects (ZIP64 entry count) and, unless SKIP_SLOW=1, one entry above 4 GiB.
 */
import { zipperCases } from './zipper-e2e-cases.js';
import { largeCases } from './zipper-large-cases.js';

zipperCases('sqs');
largeCases();
