/**
 * The documented limits (docs/api.md) over SQS: a `source.keys` list of 100,000 keys and
 * 100,000 inline rows complete at the transport's default message limit (claim-check-cases.ts).
 * Of the 100,000 keys three are real objects and the rest are missing: the zipper HEADs every
 * key and files the missing ones as skipped, so the point — the whole list reaches the worker
 * — is made without putting 100,000 objects first. The HEADs take most of the time (about
 * 26 minutes at 64 HEADs/s on a loaded 2-core machine), hence a file per transport.
 */
import { bigRequestCases } from './claim-check-cases.js';

bigRequestCases('sqs', { keys: 100_000, keyBytes: 60, rows: 100_000, noteBytes: 0, jobTimeoutMs: 2_700_000 });
