/**
 * From a new S3 object and the rule it matched to the command ingest accepts (DESIGN §7):
 *
 * - zip rule: ZIP the `source` prefix (filled from the key's segments) of the object's
 *   bucket, named `name`, leaving the marker object itself out (`source.marker`);
 * - report rule: render the object (CSV, or JSON lines when the key ends in `.jsonl` /
 *   `.ndjson`) in the rule's `format`, named `name`, columns from its header row.
 *
 * The owner is the pattern's `{owner}` segment. The idempotency key
 * `s3:{bucket}:{key}:{sequencer}` makes every copy of one notification name one job, even
 * when the 24 h dedupe marker was missed (two copies handled at once, or Redis lost it).
 */
import { createHash } from 'node:crypto';
import type { ObjectCreated } from '@artifact-pipeline/shared';
import type { AcceptCommand } from './accept-command.js';
import { fillTemplate, type RuleMatch } from './rules-match.js';

/** The stand-in for a missing sequencer (moto, some S3-compatible stores): see s3-records.ts. */
export function versionToken(object: Pick<ObjectCreated, 'sequencer' | 'etag' | 'size'>): string {
  return object.sequencer !== '' ? object.sequencer : `etag-${object.etag}-${object.size}`;
}

/** `s3:{bucket}:{key}:{sequencer}`: one job per object version, whatever path it came by. */
export function s3IdempotencyKey(object: ObjectCreated): string {
  return `s3:${object.bucket}:${object.key}:${versionToken(object)}`;
}

function reportFormatOf(key: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson)$/i.test(key) ? 'jsonl' : 'csv';
}

/**
 * The command a matched object starts. `traceparent` is left to acceptCommand (the active
 * span's: the notification's root span).
 */
export function commandForObject(match: RuleMatch, object: ObjectCreated): AcceptCommand {
  const { rule, segments } = match;
  const owner = segments.owner ?? '';
  const idempotencyKey = s3IdempotencyKey(object);
  const name = fillTemplate(rule.name, segments);
  const common = { owner, idempotencyKey };
  if (rule.action === 'zip') {
    const payload = {
      source: { bucket: object.bucket, prefix: fillTemplate(rule.source, segments), marker: object.key },
      output: { name },
      options: { compression: 'auto' as const },
    };
    return { ...common, type: 'zip', payload, requestHash: requestHash('zip', payload) };
  }
  const payload = {
    format: rule.format,
    title: '',
    columns: [],
    source: { bucket: object.bucket, key: object.key, format: reportFormatOf(object.key) },
    output: { name },
  };
  return { ...common, type: 'report', payload, requestHash: requestHash('report', payload) };
}

/**
 * SHA-256 (hex) of the command: the same notification always makes the same command, so a
 * duplicate matches the claim; a changed INGEST_RULES between two copies makes another
 * command, which the store refuses (IDEMPOTENCY_MISMATCH) instead of starting a second job.
 */
function requestHash(type: string, payload: unknown): string {
  return createHash('sha256').update(JSON.stringify([type, payload])).digest('hex');
}
