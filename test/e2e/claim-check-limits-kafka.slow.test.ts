/**
 * The documented limits (docs/api.md) over Kafka: 100,000 inline rows and a `source.keys` list
 * past the broker's default message limit (1,048,588 bytes) complete (claim-check-cases.ts).
 * Of the keys three are real objects and the rest are missing: the zipper HEADs every key and
 * files the missing ones as skipped, so the point — the whole list reaches the worker — is made
 * without putting the objects first. The HEADs against moto take most of the time (about 64 a
 * second on a loaded 2-core machine: 26 minutes for 100,000), so by default the key list is
 * 20,000 keys of 60 bytes (1.2 MB, stored in S3 like any list over the limit; the SQS file runs
 * the full 100,000). `LIMITS_KAFKA_KEYS=100000` runs the full count here too.
 */
import { bigRequestCases } from './claim-check-cases.js';

const keys = Number(process.env['LIMITS_KAFKA_KEYS'] ?? 20_000);
bigRequestCases('kafka', { keys, keyBytes: 60, rows: 100_000, noteBytes: 0, jobTimeoutMs: 2_700_000 });
