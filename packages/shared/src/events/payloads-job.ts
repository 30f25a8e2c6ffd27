/**
 * The job lifecycle events (DESIGN §3) the workers publish and status projects, and the
 * `object.created` fact ingest derives from S3 notifications.
 *
 * These tolerate fields they do not know (no `additionalProperties: false`): a newer
 * worker may add a field and an older projector must keep applying the event — forward
 * compatibility. Known fields are still checked.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Attempt, Bucket, Count, HttpUrl, JobId, ObjectKey, Timestamp } from './payload-fields.js';

export const JobKind = Type.Union([Type.Literal('zip'), Type.Literal('report')]);

export const JobStarted = Type.Object({
  jobId: JobId,
  type: JobKind,
  attempt: Attempt,
});

/** Byte-accurate progress. A total of 0 means "not known yet". */
export const JobProgressed = Type.Object({
  jobId: JobId,
  bytesDone: Count,
  bytesTotal: Count,
  itemsDone: Count,
  itemsTotal: Count,
});

export const ArtifactOutput = Type.Object({
  bucket: Bucket,
  key: ObjectKey,
  size: Count,
  contentType: Type.String({ minLength: 1, maxLength: 255, description: 'MIME type of the artifact.' }),
});

export const SkippedItem = Type.Object({
  key: Type.String({ maxLength: 1024 }),
  reason: Type.String({ maxLength: 1024, description: 'Why it was left out, e.g. "duplicate name", "unsafe path".' }),
});

/**
 * What went into the artifact. Counts always; the skipped list may be truncated for very
 * large jobs (the full manifest is the file inside the ZIP when `includeManifest` is set).
 */
export const Manifest = Type.Object({
  included: Count,
  skipped: Type.Array(SkippedItem, { maxItems: 10_000 }),
  skippedTotal: Type.Optional(Count),
});

export const JobCompleted = Type.Object({
  jobId: JobId,
  output: ArtifactOutput,
  downloadUrl: HttpUrl,
  expiresAt: Timestamp,
  manifest: Type.Optional(Manifest),
});

export const FailureDetail = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64, description: 'Stable error code (errors.ts ErrorCode).' }),
  message: Type.String({ maxLength: 4096 }),
  retriable: Type.Boolean(),
});

/** `final` false: the attempt failed and another will follow; true: the job is failed. */
export const JobFailed = Type.Object({
  jobId: JobId,
  error: FailureDetail,
  attempt: Attempt,
  final: Type.Boolean(),
});

/** One S3 object that appeared; `key` is decoded from the notification's form encoding. */
export const ObjectCreated = Type.Object({
  bucket: Bucket,
  key: ObjectKey,
  size: Count,
  etag: Type.String({ maxLength: 128 }),
  sequencer: Type.String({ maxLength: 64, description: 'S3 ordering token for this key (hex).' }),
});

export type JobKind = Static<typeof JobKind>;
export type JobStarted = Static<typeof JobStarted>;
export type JobProgressed = Static<typeof JobProgressed>;
export type ArtifactOutput = Static<typeof ArtifactOutput>;
export type Manifest = Static<typeof Manifest>;
export type JobCompleted = Static<typeof JobCompleted>;
export type FailureDetail = Static<typeof FailureDetail>;
export type JobFailed = Static<typeof JobFailed>;
export type ObjectCreated = Static<typeof ObjectCreated>;
