/**
 * The two commands (DESIGN §3): `zip.requested` and `report.requested`. Commands come
 * from outside as often as from ingest, so they are strict: unknown fields are rejected
 * (`additionalProperties: false` at every level), and `owner` is always required.
 *
 * Each schema is built by a function taking the `jobId` field, so the same definition
 * yields the published schema (jobId required) and the inbound draft ingest accepts
 * before it assigns a job id (jobId optional).
 */
import { Type, type TSchema, type Static } from '@sinclair/typebox';
import {
  Bucket,
  FileName,
  JobId,
  KeyPrefix,
  MAX_KEYS,
  Notify,
  ObjectKey,
  objectKey,
  OutputName,
  Owner,
  RequestRef,
} from './payload-fields.js';

const strict = { additionalProperties: false } as const;

const marker = Type.Optional(
  objectKey('A key left out of the ZIP, e.g. the `_READY` file that triggered the job.'),
);

export const ZipSourcePrefix = Type.Object(
  { bucket: Bucket, prefix: KeyPrefix, marker },
  { ...strict, title: 'prefix source', description: 'Every object under the prefix, sub-folders included.' },
);

export const ZipSourceKeys = Type.Object(
  {
    bucket: Bucket,
    // Empty only when the command carries a requestRef (the refinement and `if` below).
    keys: Type.Array(ObjectKey, { maxItems: MAX_KEYS, description: 'At most 100,000 keys; at least one unless `requestRef` is given.' }),
    marker,
  },
  { ...strict, title: 'key list source', description: 'Exactly these objects.' },
);

export const ZipOptions = Type.Object(
  {
    compression: Type.Union([Type.Literal('auto'), Type.Literal('store'), Type.Literal('deflate')], {
      description: '`auto` stores already-compressed files (images, archives) and deflates the rest.',
    }),
    includeManifest: Type.Optional(
      Type.Boolean({ description: 'Add a manifest of included and skipped files to the ZIP. Default false.' }),
    ),
  },
  strict,
);

function zipRequested<J extends TSchema>(jobId: J) {
  return Type.Object(
    {
      jobId,
      owner: Owner,
      source: Type.Union([ZipSourcePrefix, ZipSourceKeys]),
      output: OutputName,
      options: ZipOptions,
      notify: Type.Optional(Notify),
      requestRef: Type.Optional(RequestRef),
    },
    {
      ...strict,
      // A key list is never empty unless the request is stored (requestRef). TypeBox does not
      // check `if`; the registry's refinement does (event-registry.ts), the published schema states it.
      if: { not: { required: ['requestRef'] } },
      then: { properties: { source: { properties: { keys: { minItems: 1 } } } } },
    },
  );
}

export const ColumnType = Type.Union(
  [
    Type.Literal('string'),
    Type.Literal('number'),
    Type.Literal('date'),
    Type.Literal('boolean'),
    Type.Literal('currency'),
  ],
  { description: 'How the cell is typed and formatted. Default: inferred from a sample of the data (string when nothing else fits).' },
);

export const ReportColumn = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 256, description: 'Field of the row (or CSV header) to show.' }),
    header: Type.String({ maxLength: 256, description: 'Column heading.' }),
    type: Type.Optional(ColumnType),
    width: Type.Optional(Type.Number({ minimum: 1, maximum: 255, description: 'Width in characters (Excel max 255).' })),
    format: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Number or date format, e.g. `0.00` or `yyyy-mm-dd`.' }),
    ),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of a `currency` column (`EUR`): its symbol is shown with the amounts.' }),
    ),
  },
  strict,
);

export const ReportSource = Type.Object(
  {
    bucket: Bucket,
    key: ObjectKey,
    format: Type.Union([Type.Literal('csv'), Type.Literal('jsonl')]),
  },
  { ...strict, description: 'A CSV (first row = headers) or JSON-lines object in S3.' },
);

export const MAX_INLINE_ROWS = 100_000;

function reportRequested<J extends TSchema>(jobId: J) {
  return Type.Object(
    {
      jobId,
      owner: Owner,
      format: Type.Union([Type.Literal('xlsx'), Type.Literal('pdf')]),
      title: Type.String({ maxLength: 256, description: 'Sheet name / document title.' }),
      columns: Type.Array(ReportColumn, {
        maxItems: 1024,
        description: 'The columns, in order. Empty: taken from the data (CSV header row, or the keys of the first row).',
      }),
      rows: Type.Optional(
        Type.Array(Type.Record(Type.String(), Type.Unknown()), {
          maxItems: MAX_INLINE_ROWS,
          description: 'Inline rows (objects keyed by column key). Give `rows` or `source`, not both.',
        }),
      ),
      source: Type.Optional(ReportSource),
      output: OutputName,
      onError: Type.Optional(
        Type.Union([Type.Literal('fail'), Type.Literal('skip')], {
          description: 'A row that does not parse: fail the job (default) or skip it and count it.',
        }),
      ),
      notify: Type.Optional(Notify),
      requestRef: Type.Optional(RequestRef),
    },
    {
      ...strict,
      // Exactly one source of rows. TypeBox does not check `oneOf`; the registry's
      // refinement does (event-registry.ts), and the published schema states it.
      oneOf: [{ required: ['rows'] }, { required: ['source'] }],
    },
  );
}

export const ZipRequested = zipRequested(JobId);
export const ReportRequested = reportRequested(JobId);
/** As accepted from other systems before ingest assigns the job id. */
export const ZipRequestedDraft = zipRequested(Type.Optional(JobId));
export const ReportRequestedDraft = reportRequested(Type.Optional(JobId));

export type ZipRequested = Static<typeof ZipRequested>;
export type ReportRequested = Static<typeof ReportRequested>;
export type ZipRequestedDraft = Static<typeof ZipRequestedDraft>;
export type ReportRequestedDraft = Static<typeof ReportRequestedDraft>;
export type ZipSource = ZipRequested['source'];
export type ReportColumn = Static<typeof ReportColumn>;
