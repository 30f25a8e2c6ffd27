/**
 * Local mode's stand-in for S3 event notifications: watches `<root>/<bucket>/inbox/**` and,
 * when a `_READY` marker appears, hands `onObject` the same ObjectCreated an S3 notification
 * for that key would carry (s3-records.ts), so ingest's S3 path (acceptObject) starts the job.
 *
 * Only the marker triggers, never the data files. And the marker waits while its folder is
 * still changing: the folder's files (path, size, mtime) are compared between two scans
 * `intervalMs` apart (default 500 ms), and only an unchanged folder is handed over — a file
 * still being copied in delays the job instead of being zipped half-written.
 *
 * The folder is polled rather than fs.watch'ed: recursive fs.watch misses events on some
 * file systems (network shares, Docker bind mounts) and a poll of a local inbox is cheap.
 * Markers handled are remembered in `<root>/.inbox-seen.json` (key → version), so a restart
 * does not start the same batch again; touching the marker (new mtime) is a new version.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectCreated } from '@artifact-pipeline/shared';

export const READY_MARKER = '_READY';
const INBOX = 'inbox';

export interface FolderWatcherOptions {
  /** LOCAL_DATA_DIR: one sub-folder per bucket. */
  root: string;
  bucket: string;
  onObject: (object: ObjectCreated) => Promise<void>;
  /** Called when onObject (or a scan) throws; the marker is tried again on the next scan. */
  onError: (err: unknown, object?: ObjectCreated) => void;
  intervalMs?: number;
}

export interface FolderWatcher {
  /** One scan now (tests; start() runs them on a timer). */
  scan(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

interface FileState { path: string; size: number; mtimeMs: number }

async function walk(dir: string, out: FileState[]): Promise<FileState[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) {
      const s = await stat(path).catch(() => undefined);
      if (s) out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
    }
  }
  return out;
}

const fingerprint = (files: FileState[]): string =>
  files.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}`).sort().join('\n');

export function createFolderWatcher({ root, bucket, onObject, onError, intervalMs = 500 }: FolderWatcherOptions): FolderWatcher {
  const bucketDir = join(root, bucket);
  const stateFile = join(root, '.inbox-seen.json');
  /** marker key → folder fingerprint at the previous scan. */
  const pending = new Map<string, string>();
  let seen: Record<string, string> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function loadSeen(): Promise<Record<string, string>> {
    seen ??= await readFile(stateFile, 'utf8').then((t) => JSON.parse(t) as Record<string, string>, () => ({}));
    return seen;
  }

  async function scanOnce(): Promise<void> {
    const done = await loadSeen();
    const files = await walk(join(bucketDir, INBOX), []);
    for (const marker of files.filter((f) => f.path.endsWith(`${sep}${READY_MARKER}`))) {
      const key = relative(bucketDir, marker.path).split(sep).join('/');
      // hex like S3's sequencer: the marker's mtime in µs
      const version = Math.round(marker.mtimeMs * 1000).toString(16);
      if (done[key] === version) continue;
      const folder = marker.path.slice(0, -READY_MARKER.length);
      const print = fingerprint(files.filter((f) => f.path.startsWith(folder)));
      if (pending.get(key) !== print) {
        pending.set(key, print); // changed since the last scan (or first seen): wait one more
        continue;
      }
      pending.delete(key);
      // the sequencer stands in for S3's: a new marker version is a new notification
      const object: ObjectCreated = { bucket, key, size: marker.size, etag: '', sequencer: version };
      try {
        await onObject(object);
        done[key] = version;
        await writeFile(stateFile, JSON.stringify(done, null, 1));
      } catch (err) {
        onError(err, object);
      }
    }
  }

  const scan = (): Promise<void> => (running = running.then(scanOnce, scanOnce));
  return {
    scan,
    start() {
      const tick = (): void => {
        timer = setTimeout(() => {
          void scan()
            .catch((err: unknown) => onError(err))
            .finally(() => timer !== undefined && tick());
        }, intervalMs);
      };
      tick();
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running.catch(() => undefined);
    },
  };
}
