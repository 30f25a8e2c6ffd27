/**
 * The documented limits (docs/api.md) over SQS: 100,000 inline rows and a `source.keys` list
 * far past SQS's 256 KiB message limit complete (claim-check-cases.ts). Of the keys three are
 * real objects and the rest are missing: the zipper HEADs every key and files the missing ones
 * as skipped, so the point — the whole list reaches the worker — is made without putting the
 * objects first. The HEADs against moto take most of the time (about 64 a second on a loaded
 * 2-core machine: 23.5 minutes for 100,000, measured), so by default the key list is 20,000
 * keys of 60 bytes (1.2 MB, 4.7× the message limit, stored in S3 like any list over it);
 * `LIMITS_SQS_KEYS=100000` runs the documented maximum.
 */
import { bigRequestCases } from './claim-check-cases.js';

const keys = Number(process.env['LIMITS_SQS_KEYS'] ?? 20_000);
bigRequestCases('sqs', { keys, keyBytes: 60, rows: 100_000, noteBytes: 0, jobTimeoutMs: 2_700_000 });
