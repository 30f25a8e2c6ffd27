import { ErrorCode, PipelineError, badInput } from './errors.js';

/**
 * Multipart part sizes for S3 uploads. Limits from the S3 user guide, "Amazon S3 multipart
 * upload limits": parts of 5 MiB to 5 GiB (the last part may be smaller), at most 10,000
 * parts, objects of at most 5 TiB.
 */
const MiB = 1024 * 1024;

/** Smallest part S3 accepts (all parts but the last): 5 MiB. */
export const MIN_PART_SIZE = 5 * MiB;
/** Largest part S3 accepts: 5 GiB. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** Most parts one multipart upload may have. */
export const MAX_PARTS = 10_000;
/** Largest object S3 stores: 5 TiB. */
export const MAX_OBJECT_SIZE = 5 * 1024 * 1024 * MiB;

/**
 * Part size when the total is unknown: 8 MiB, so a stream of unknown length may grow to
 * 10,000 × 8 MiB = 78.1 GiB (the SDK's 5 MiB default stops at 48.8 GiB). An uploader keeps
 * about (queueSize + 1) parts in memory, so 8 MiB parts with a queue of 4 hold ~40 MiB of
 * body (see adapters/s3-upload.ts for what that costs in RSS).
 */
export const DEFAULT_PART_SIZE = 8 * MiB;

/**
 * Parts the expected size is planned to fill: 9,000 of the 10,000, so an estimate up to
 * ~11 % short (a ZIP's headers and central directory, a report's final size) still fits.
 */
export const PLANNED_PARTS = 9_000;

/**
 * The part size for an upload of about `expectedSize` bytes: the smallest whole number of
 * MiB, at least 5 MiB, with which `expectedSize` fills at most 9,000 parts. Unknown size
 * (undefined) → DEFAULT_PART_SIZE. Sizes over 5 TiB cannot be stored: PAYLOAD_TOO_LARGE.
 */
export function choosePartSize(expectedSize?: number): number {
  if (expectedSize === undefined) return DEFAULT_PART_SIZE;
  if (!Number.isFinite(expectedSize) || expectedSize < 0) {
    throw badInput(`expected size must be a non-negative number of bytes, got ${expectedSize}`, { expectedSize });
  }
  if (expectedSize > MAX_OBJECT_SIZE) {
    throw new PipelineError(`an object of ${expectedSize} bytes exceeds the S3 limit of 5 TiB`, {
      code: ErrorCode.PAYLOAD_TOO_LARGE,
      retriable: false,
      context: { expectedSize },
    });
  }
  const wholeMiB = Math.ceil(expectedSize / PLANNED_PARTS / MiB) * MiB;
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, wholeMiB));
}

/** Rejects an explicit part size S3 would refuse (INVALID_INPUT), otherwise returns it. */
export function checkPartSize(partSize: number): number {
  if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    throw badInput(`part size must be a whole number of bytes from 5 MiB to 5 GiB, got ${partSize}`, { partSize });
  }
  return partSize;
}

/** The largest object a multipart upload with parts of `partSize` bytes can hold. */
export function maxUploadSize(partSize: number): number {
  return partSize * MAX_PARTS;
}
