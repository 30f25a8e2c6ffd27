/**
 * The S3 journal (DESIGN §5): when the bus is SQS there is no log to replay, so status
 * appends every applied event to the artifacts bucket as JSON lines, batched (default 500
 * lines or 1 s, whichever first), under
 * `journal/{yyyy}/{mm}/{dd}/{HH}/{timestamp}-{uuid}.jsonl` (UTC; timestamp
 * `yyyymmddTHHMMSSmmmZ`, strictly increasing per process, so key order is append order).
 *
 * Each line: `{"event": <the CloudEvent>, "job": {id, type, owner, input, createdAt}}` —
 * the job's queued facts ride along, because ingest writes those to Redis, not to the bus,
 * and a rebuild into an empty Redis needs them (rebuild.ts).
 *
 * Durability: a batch is written with retries (retry.ts); a failed batch stays queued for
 * the next flush. Lines still buffered when the process dies without close() are lost from
 * the journal (not from the read model): at most one batch window (docs/status.md).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { retry, silentLogger, type Job, type Logger, type ObjectStore, type PipelineEvent } from '@artifact-pipeline/shared';

/** The default of JOURNAL_PREFIX (config.journal.prefix). */
export const JOURNAL_PREFIX = 'journal/';

export interface JournalLine {
  event: PipelineEvent;
  job: Pick<Job, 'id' | 'type' | 'owner' | 'input' | 'createdAt'>;
}

export interface JournalOptions {
  objects: ObjectStore;
  bucket: string;
  /** Key prefix of the journal objects, ending with `/`. Default JOURNAL_PREFIX. */
  prefix?: string;
  /** Lines per object at most. Default 500. */
  maxLines?: number;
  /** Longest a line waits in the buffer, in ms. Default 1,000. */
  maxDelayMs?: number;
  logger?: Logger;
  clock?: () => number;
}

export interface Journal {
  append(event: PipelineEvent, job: Job): void;
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

export function journalKey(atMs: number, prefix = JOURNAL_PREFIX): string {
  const iso = new Date(atMs).toISOString();
  const [y, m, d, h] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)];
  const stamp = iso.replace(/[-:.]/g, '');
  return `${prefix}${y}/${m}/${d}/${h}/${stamp}-${randomUUID()}.jsonl`;
}

export function createJournal({ objects, bucket, prefix = JOURNAL_PREFIX, maxLines = 500, maxDelayMs = 1_000, logger = silentLogger(), clock = Date.now }: JournalOptions): Journal {
  let buffer: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let lastMs = 0;

  const write = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const lines = buffer;
    buffer = [];
    lastMs = Math.max(clock(), lastMs + 1);
    const key = journalKey(lastMs, prefix);
    const body = lines.join('');
    try {
      await retry(() => objects.put(bucket, key, Readable.from([Buffer.from(body)]), { contentType: 'application/x-ndjson' }), { attempts: 5 });
    } catch (err) {
      logger.error({ err, key, lines: lines.length }, 'journal batch not written; keeping it for the next flush');
      buffer = [...lines, ...buffer];
      throw err;
    }
  };
  // Flushes run one after another, so objects are written in append order.
  const flush = (): Promise<void> => {
    writing = writing.catch(() => undefined).then(write);
    return writing;
  };

  return {
    append(event, job) {
      const line: JournalLine = { event, job: { id: job.id, type: job.type, owner: job.owner, input: job.input, createdAt: job.createdAt } };
      buffer.push(`${JSON.stringify(line)}\n`);
      if (buffer.length >= maxLines) void flush().catch(() => undefined);
      else timer ??= setTimeout(() => void flush().catch(() => undefined), maxDelayMs);
    },
    flush,
    async close() {
      await flush();
    },
  };
}
