import { constants, type ReadStream } from 'node:fs';
import { access, mkdir, open, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ErrorCode, PipelineError, badInput } from '../errors.js';
import type { ObjectInfo, ObjectStore } from '../ports/object-store.js';
import { contentDisposition } from '../content-disposition.js';
import { bucketPaths, keySegments, type BucketPaths } from './local-object-keys.js';
import { describe, walkObjects } from './local-object-list.js';
import { readMeta, removeMeta } from './local-object-meta.js';
import { createLocalUrlSigner, type LocalUrlSigner } from './local-object-signing.js';
import { abortLocalUpload, listLocalUploads, putLocalObject } from './local-object-upload.js';

/**
 * The ObjectStore over a local folder, for the all-in-one local mode and unit tests:
 * `<root>/<bucket>/<key>` (see local-object-keys.ts for the layout and the keys it refuses,
 * local-object-meta.ts for metadata, local-object-upload.ts for atomic puts). Presigned URLs
 * point at `<publicBaseUrl>/local-objects/…`, served by createLocalObjectHandler.
 *
 * Limits against S3: a key cannot also be the folder of other keys (`a` and `a/b`); etags
 * are MD5 for every put (S3 uses `<md5 of part md5s>-<parts>` for multipart); `pageSize`
 * only bounds the argument (a folder is read at once). Symbolic links placed in the root by
 * hand are not listed, but a key whose path passes through one is still followed.
 */
export interface LocalObjectStoreOptions {
  /** Folder holding one sub-folder per bucket; created when needed. */
  root: string;
  /** Base URL under which createLocalObjectHandler is reachable, e.g. http://127.0.0.1:8080. */
  publicBaseUrl: string;
  /** HMAC-SHA256 key of presigned URLs. */
  signingSecret: string;
  /** Now, in ms since the epoch; default Date.now. */
  clock?: () => number;
}

/** An object opened for reading: one snapshot, even if the key is replaced meanwhile. */
export interface LocalObjectHandle {
  info: ObjectInfo & { contentDisposition?: string };
  /** Reads bytes start..end (inclusive), closing the handle when done. */
  read(range?: { start: number; end: number }): ReadStream;
  close(): Promise<void>;
}

export interface LocalObjectStore extends ObjectStore {
  readonly root: string;
  readonly signer: LocalUrlSigner;
  /** undefined if the key does not exist; SOURCE_NOT_FOUND if the bucket does not. */
  open(bucket: string, key: string): Promise<LocalObjectHandle | undefined>;
}

/** SigV4's limit, kept so local mode refuses what S3 would. */
const MAX_PRESIGN_SECONDS = 604_800;
const MAX_PAGE_SIZE = 1000;

export function createLocalObjectStore({ root, publicBaseUrl, signingSecret, clock = Date.now }: LocalObjectStoreOptions): LocalObjectStore {
  const rootDir = resolve(root);
  const signer = createLocalUrlSigner({ publicBaseUrl, signingSecret, clock });

  async function existingBucket(bucket: string): Promise<BucketPaths> {
    const paths = bucketPaths(rootDir, bucket);
    const found = await stat(paths.dir).then((s) => s.isDirectory(), () => false);
    if (!found) {
      throw new PipelineError(`bucket ${bucket} does not exist`, { code: ErrorCode.SOURCE_NOT_FOUND, retriable: false, context: { bucket } });
    }
    return paths;
  }

  async function openObject(bucket: string, key: string): Promise<LocalObjectHandle | undefined> {
    const paths = await existingBucket(bucket);
    const file = paths.objectFile(key);
    const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw err;
    });
    if (handle === undefined) return undefined;
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return undefined;
    }
    const meta = await readMeta(paths.metaFile(key), stats);
    return {
      info: {
        key,
        size: stats.size,
        lastModified: stats.mtime,
        ...(meta === undefined ? {} : { etag: meta.etag }),
        ...(meta?.contentType === undefined ? {} : { contentType: meta.contentType }),
        ...(meta?.contentDisposition === undefined ? {} : { contentDisposition: meta.contentDisposition }),
      },
      read: (range) => handle.createReadStream(range === undefined ? {} : { start: range.start, end: range.end }),
      close: () => handle.close(),
    };
  }

  function presign(method: 'GET' | 'PUT', bucket: string, key: string, seconds: number, extra: { disposition?: string; contentType?: string }): string {
    bucketPaths(rootDir, bucket);
    keySegments(key);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw badInput(`presigned URLs live 1 to ${MAX_PRESIGN_SECONDS} seconds, got ${seconds}`, { expiresInSeconds: seconds });
    }
    return signer.sign(method, bucket, key, { expires: Math.floor(clock() / 1000) + seconds, ...extra });
  }

  return {
    root: rootDir,
    signer,
    open: openObject,
    async *list(bucket, prefix, { pageSize = MAX_PAGE_SIZE, startAfter } = {}) {
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw badInput(`page size must be 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`, { pageSize });
      }
      yield* walkObjects(await existingBucket(bucket), prefix, startAfter);
    },
    async head(bucket, key) {
      const paths = await existingBucket(bucket);
      return describe(paths, paths.objectFile(key), key);
    },
    async get(bucket, key, range) {
      const handle = await openObject(bucket, key);
      if (handle === undefined) {
        throw new PipelineError(`${bucket}/${key} does not exist`, { code: ErrorCode.NOT_FOUND, retriable: false, context: { bucket, key } });
      }
      if (range === undefined) return handle.read();
      const { size } = handle.info;
      const end = Math.min(range.end ?? size - 1, size - 1);
      if (!Number.isInteger(range.start) || range.start < 0 || range.start >= size || end < range.start) {
        await handle.close();
        throw badInput(`range ${range.start}-${range.end ?? ''} is not satisfiable for ${size} bytes`, { bucket, key, size });
      }
      return handle.read({ start: range.start, end });
    },
    async put(bucket, key, body, options) {
      return putLocalObject(await existingBucket(bucket), key, body, options);
    },
    async delete(bucket, key) {
      const paths = await existingBucket(bucket);
      const file = paths.objectFile(key);
      await unlink(file).catch((err: NodeJS.ErrnoException) => {
        // missing, or a folder of other keys: either way no object by that name (S3: 204)
        if (!['ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM'].includes(err.code ?? '')) throw err;
      });
      await removeMeta(paths.metaFile(key));
      await pruneEmptyFolders(dirname(file), paths.dir);
      await pruneEmptyFolders(dirname(paths.metaFile(key)), paths.metaDir);
    },
    presignGet: async (bucket, key, { expiresInSeconds, fileName }) =>
      presign('GET', bucket, key, expiresInSeconds, fileName === undefined ? {} : { disposition: contentDisposition(fileName) }),
    presignPut: async (bucket, key, { expiresInSeconds, contentType }) =>
      presign('PUT', bucket, key, expiresInSeconds, contentType === undefined ? {} : { contentType }),
    async listIncompleteUploads(bucket, prefix) {
      return listLocalUploads(await existingBucket(bucket), prefix);
    },
    async abortIncompleteUpload(bucket, upload) {
      await abortLocalUpload(await existingBucket(bucket), upload.uploadId);
    },
    async ensureBucket(bucket) {
      await mkdir(bucketPaths(rootDir, bucket).dir, { recursive: true });
    },
    async ping() {
      try {
        await mkdir(rootDir, { recursive: true });
        await access(rootDir, constants.R_OK | constants.W_OK);
      } catch (err) {
        throw new PipelineError(`object store folder ${rootDir} is not usable`, { code: ErrorCode.UNAVAILABLE, retriable: true, cause: err });
      }
    },
  };
}

/** Removes `folder` and its parents while empty, stopping at `stop` (kept). */
async function pruneEmptyFolders(folder: string, stop: string): Promise<void> {
  for (let dir = folder; dir.startsWith(`${stop}/`); dir = dirname(dir)) {
    const removed = await rmdir(dir).then(() => true, () => false);
    if (!removed) return;
  }
}
