import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, PipelineError, badInput, isPipelineError } from '../errors.js';
import type { IncompleteUpload, PutOptions } from '../ports/object-store.js';
import { checkPartSize, choosePartSize } from '../part-size.js';
import type { BucketPaths } from './local-object-keys.js';
import { writeMeta } from './local-object-meta.js';

/**
 * Puts into the local store as S3 multipart does, seen from outside: the bytes go to
 * `.uploads/<id>.data` beside `.uploads/<id>.json` ({key, initiated}), and only a complete
 * body is renamed into place (rename(2) is atomic within one file system), so a failed or
 * aborted put leaves nothing visible. Both files are removed on failure; a crash leaves them,
 * and listIncompleteUploads reports them until abortIncompleteUpload removes them.
 */

/** onProgress fires at most once per MiB of body, and once at the end. */
const PROGRESS_STEP = 1024 * 1024;

class Measure extends Transform {
  bytes = 0;
  private readonly md5 = createHash('md5');
  private reported = 0;
  constructor(private readonly onProgress?: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.md5.update(chunk);
    if (this.onProgress && this.bytes - this.reported >= PROGRESS_STEP) {
      this.reported = this.bytes;
      this.onProgress(this.bytes);
    }
    done(null, chunk);
  }
  etag(): string {
    return this.md5.digest('hex');
  }
}

export async function putLocalObject(
  paths: BucketPaths,
  key: string,
  body: Readable,
  options: PutOptions = {},
): Promise<{ size: number; etag: string }> {
  const target = paths.objectFile(key);
  // no parts here, but refuse what S3 would refuse, so local mode finds the same mistakes
  if (options.partSize === undefined) choosePartSize(options.expectedSize);
  else checkPartSize(options.partSize);
  if (options.signal?.aborted) throw failure(options.signal.reason, key, options.signal);
  const uploadId = randomUUID();
  const data = join(paths.uploadsDir, `${uploadId}.data`);
  const info = join(paths.uploadsDir, `${uploadId}.json`);
  const metaTemp = join(paths.uploadsDir, `${uploadId}.meta`);
  const measure = new Measure(options.onProgress);
  try {
    await mkdir(paths.uploadsDir, { recursive: true });
    await writeFile(info, JSON.stringify({ key, initiated: new Date().toISOString() }));
    await pipeline(body, measure, createWriteStream(data), options.signal ? { signal: options.signal } : {});
    await mkdir(dirname(target), { recursive: true });
    await rename(data, target);
    const stats = await stat(target);
    const etag = measure.etag();
    await writeMeta(paths.metaFile(key), metaTemp, {
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      etag,
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
      ...(options.contentDisposition === undefined ? {} : { contentDisposition: options.contentDisposition }),
    });
    options.onProgress?.(measure.bytes);
    return { size: measure.bytes, etag };
  } catch (err) {
    throw failure(err, key, options.signal);
  } finally {
    await Promise.all([data, info, metaTemp].map((f) => rm(f, { force: true })));
  }
}

function failure(err: unknown, key: string, signal: AbortSignal | undefined): PipelineError {
  if (signal?.aborted) {
    return new PipelineError(`upload of ${key} aborted`, { code: ErrorCode.ABORTED, retriable: true, cause: signal.reason, context: { key } });
  }
  if (isPipelineError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  // a key that is the folder of another key, or under a key that is a file
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') {
    return badInput(`key ${key} collides with a folder of other keys (a file system cannot hold both "a" and "a/b")`, { key });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PipelineError(`upload of ${key} failed: ${message}`, { code: ErrorCode.INTERNAL, retriable: false, cause: err, context: { key } });
}

/** Uploads in `.uploads/` whose key starts with `prefix`, by key. */
export async function listLocalUploads(paths: BucketPaths, prefix: string): Promise<IncompleteUpload[]> {
  let names: string[];
  try {
    names = await readdir(paths.uploadsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const uploads: IncompleteUpload[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const { key, initiated } = JSON.parse(await readFile(join(paths.uploadsDir, name), 'utf8')) as { key: string; initiated: string };
      if (key.startsWith(prefix)) uploads.push({ key, uploadId: name.slice(0, -5), initiated: new Date(initiated) });
    } catch {
      // finished (and removed) while we listed, or half-written: not an upload to report
    }
  }
  return uploads.sort((a, b) => (a.key === b.key ? 0 : Buffer.compare(Buffer.from(a.key), Buffer.from(b.key))));
}

/** Removes an upload's files. Unknown ids are fine (already finished or removed). */
export async function abortLocalUpload(paths: BucketPaths, uploadId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw badInput(`invalid upload id ${JSON.stringify(uploadId)}`, { uploadId });
  await Promise.all(['data', 'json', 'meta'].map((ext) => rm(join(paths.uploadsDir, `${uploadId}.${ext}`), { force: true })));
}
