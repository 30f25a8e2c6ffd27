import { join } from 'node:path';
import { badInput } from '../errors.js';

/**
 * How buckets and keys map onto a folder: `<root>/<bucket>/<key>`, the key's `/`-separated
 * segments as nested folders, so a bucket is a plain folder anyone can browse or drop files
 * into. Two folders of each bucket are the adapter's own and never hold objects:
 * `.uploads/` (puts in progress) and `.meta/` (one JSON sidecar per object).
 *
 * What S3 allows and a file system cannot hold is refused with INVALID_INPUT: empty, `.`
 * or `..` segments (so `a//b`, `/a`, `a/` and anything escaping the bucket), NUL, segments
 * over 250 bytes (file names stop at 255; the sidecar adds `.json`), keys over 1,024 bytes
 * (the S3 limit), and keys under `.uploads/` or `.meta/`. A key that is also the folder of
 * another key (`a` and `a/b`) cannot be stored either; see local-object-store.ts.
 */
export const UPLOADS_DIR = '.uploads';
export const META_DIR = '.meta';
export const RESERVED_NAMES: ReadonlySet<string> = new Set([UPLOADS_DIR, META_DIR]);

const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 250;

/** S3 bucket naming rules (3–63 of a–z 0–9 . -, starting and ending alphanumeric). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function checkBucketName(bucket: string): string {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw badInput(`invalid bucket name ${JSON.stringify(bucket)}`, { bucket });
  }
  return bucket;
}

/** The key's segments, or INVALID_INPUT saying what makes the key unusable here. */
export function keySegments(key: string): string[] {
  const refuse = (why: string): never => {
    throw badInput(`invalid object key ${JSON.stringify(key)}: ${why}`, { key });
  };
  if (key === '') refuse('empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) refuse(`longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('\0')) refuse('contains NUL');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') refuse('empty path segment (leading, trailing or double "/")');
    if (segment === '.' || segment === '..') refuse(`"${segment}" segment`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) refuse(`a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  if (RESERVED_NAMES.has(segments[0] ?? '')) refuse(`${segments[0]}/ is reserved for the store itself`);
  return segments;
}

/** Paths of one bucket's folders and files. */
export interface BucketPaths {
  dir: string;
  uploadsDir: string;
  metaDir: string;
  objectFile(key: string): string;
  metaFile(key: string): string;
}

export function bucketPaths(root: string, bucket: string): BucketPaths {
  const dir = join(root, checkBucketName(bucket));
  const uploadsDir = join(dir, UPLOADS_DIR);
  const metaDir = join(dir, META_DIR);
  return {
    dir,
    uploadsDir,
    metaDir,
    objectFile: (key) => join(dir, ...keySegments(key)),
    metaFile: (key) => `${join(metaDir, ...keySegments(key))}.json`,
  };
}

/** Compares as S3 orders keys: by their UTF-8 bytes (JS `<` compares UTF-16 units instead). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
