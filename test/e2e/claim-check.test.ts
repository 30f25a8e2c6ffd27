/**
 * Requests larger than an SQS message and than Kafka's default 1 MB, over both transports
 * (claim-check-cases.ts): a 1.5 MB key list and 20,000 inline rows complete, and their
 * stored requests are deleted when the jobs end.
 */
import { bigRequestCases } from './claim-check-cases.js';

const sizes = { keys: 1_500, keyBytes: 1_000, rows: 20_000, noteBytes: 40, jobTimeoutMs: 120_000 };
bigRequestCases('sqs', sizes);
bigRequestCases('kafka', sizes);
