import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectInfo } from '../ports/object-store.js';
import { RESERVED_NAMES, compareKeys, type BucketPaths } from './local-object-keys.js';
import { readMeta } from './local-object-meta.js';

/**
 * Every object under `prefix` in S3 key order (UTF-8 bytes of the full key), lazily: one
 * folder is read at a time, so memory follows the depth of the tree, not the object count.
 *
 * Order without sorting every key: within a folder, a sub-folder `d` holds exactly the keys
 * starting with `d/`, and no sibling file name contains `/`, so sorting the entries by
 * `name` for files and `name + "/"` for folders and walking depth-first yields the keys in
 * byte order (`a-b` < `a.b` < `a/…` < `a0`, as S3 lists them).
 *
 * `startAfter` skips keys up to and including it; whole folders before it are not read.
 * Only regular files are objects: symbolic links and other specials are skipped, so a link
 * can never expose a file outside the bucket.
 */
export async function* walkObjects(
  paths: BucketPaths,
  prefix: string,
  startAfter?: string,
): AsyncGenerator<ObjectInfo> {
  yield* walkFolder(paths, paths.dir, '', prefix, startAfter);
}

async function* walkFolder(
  paths: BucketPaths,
  folder: string,
  base: string,
  prefix: string,
  startAfter: string | undefined,
): AsyncGenerator<ObjectInfo> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (err) {
    // removed while we walked (a delete pruning empty folders): nothing left to list here
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const sorted = entries
    .filter((e) => (e.isFile() || e.isDirectory()) && !(base === '' && RESERVED_NAMES.has(e.name)))
    .map((e) => ({ name: e.name, isDir: e.isDirectory(), order: e.isDirectory() ? `${base}${e.name}/` : `${base}${e.name}` }))
    .sort((a, b) => compareKeys(a.order, b.order));

  for (const entry of sorted) {
    const key = entry.order;
    if (entry.isDir) {
      if (!(key.startsWith(prefix) || prefix.startsWith(key))) continue;
      if (startAfter !== undefined && compareKeys(startAfter, key) >= 0 && !startAfter.startsWith(key)) continue;
      yield* walkFolder(paths, join(folder, entry.name), key, prefix, startAfter);
      continue;
    }
    if (!key.startsWith(prefix)) continue;
    if (startAfter !== undefined && compareKeys(key, startAfter) <= 0) continue;
    const info = await describe(paths, join(folder, entry.name), key);
    if (info) yield info;
  }
}

/** The object's size, mtime and (from a current sidecar) etag and content type. */
export async function describe(paths: BucketPaths, file: string, key: string): Promise<ObjectInfo | undefined> {
  let stats;
  try {
    stats = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  if (!stats.isFile()) return undefined;
  const meta = await readMeta(sidecarOf(paths, key), stats);
  return {
    key,
    size: stats.size,
    lastModified: stats.mtime,
    ...(meta === undefined ? {} : { etag: meta.etag }),
    ...(meta?.contentType === undefined ? {} : { contentType: meta.contentType }),
  };
}

/** A file put there by hand may have a name no put could create (too long): no sidecar then. */
function sidecarOf(paths: BucketPaths, key: string): string {
  try {
    return paths.metaFile(key);
  } catch {
    return '';
  }
}
