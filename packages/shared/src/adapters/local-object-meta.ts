import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What S3 keeps beside an object's bytes, kept here in `.meta/<key>.json`. The sidecar
 * records the size and mtime of the file it describes; when the file no longer matches
 * (replaced by hand, or a crash between writing the file and its sidecar) the sidecar is
 * ignored and the object has no etag and no content type, as a file dropped into the
 * folder by hand has none.
 */
export interface ObjectMeta {
  size: number;
  mtimeMs: number;
  /** MD5 of the bytes, hex: what S3 returns for a single-part upload. */
  etag: string;
  contentType?: string;
  contentDisposition?: string;
}

/** The sidecar if it still describes `stats`, else undefined. */
export async function readMeta(metaFile: string, stats: Stats): Promise<ObjectMeta | undefined> {
  let meta: Partial<ObjectMeta>;
  try {
    meta = JSON.parse(await readFile(metaFile, 'utf8')) as Partial<ObjectMeta>;
  } catch {
    // missing, half-written or not JSON: as if there were none
    return undefined;
  }
  if (meta.size !== stats.size || meta.mtimeMs !== stats.mtimeMs || typeof meta.etag !== 'string') return undefined;
  return meta as ObjectMeta;
}

/** Writes the sidecar through a temporary file and a rename, so readers never see half of it. */
export async function writeMeta(metaFile: string, tempFile: string, meta: ObjectMeta): Promise<void> {
  await writeFile(tempFile, JSON.stringify(meta));
  await mkdir(dirname(metaFile), { recursive: true });
  await rename(tempFile, metaFile);
}

export async function removeMeta(metaFile: string): Promise<void> {
  await unlink(metaFile).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') throw err;
  });
}
