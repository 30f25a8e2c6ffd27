/**
 * The claim check for commands too large for the bus (docs/events.md "Large requests"):
 * SQS takes 256 KiB per message by default (1 MiB at most), Kafka's broker 1 MB
 * (`message.max.bytes`), while a request may hold 100,000 keys or 100,000 inline rows.
 *
 * Ingest: when the command, as the bus would carry it, comes within MESSAGE_HEADROOM_BYTES
 * of BUS_MAX_MESSAGE_BYTES, the whole validated `data` is stored as JSON at
 * `requests/{jobId}.json` in ARTIFACTS_BUCKET, and the command is sent with its big part
 * emptied (`source.keys: []`, `rows: []`, and `columns: []` when they alone pass 64 KiB) and
 * a `requestRef` naming the object, its size and its SHA-256.
 *
 * Worker: before building, the stored request is read back (only from ARTIFACTS_BUCKET at
 * the job's own key), its size and SHA-256 checked, its JSON validated against the command's
 * schema and its job id and owner compared with the command's. It is deleted once the job's
 * final event (job.completed, or a final job.failed) is published; a lifecycle rule on
 * `requests/` (`artifacts provision`, terraform/s3.tf) removes what a crash leaves behind.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ErrorCode, PipelineError, isPipelineError } from './errors.js';
import { EventType, type PipelineEvent } from './events/envelope.js';
import { eventRegistry } from './events/event-registry.js';
import type { Logger } from './logger.js';
import type { ObjectStore } from './ports/object-store.js';
import type { Bus } from './ports/bus.js';
import { Topic } from './ports/bus.js';
import { createBoundedMap } from './bounded-map.js';

/** Where stored requests live in ARTIFACTS_BUCKET; never an input a job may name. */
export const REQUEST_PREFIX = 'requests/';

/** Days after which the lifecycle rule removes a stored request: the SQS dead-letter retention (14 days). */
export const REQUEST_EXPIRY_DAYS = 14;

/**
 * Room left below the transport's limit, in bytes: SQS counts message attributes
 * (traceparent, tracestate) in the 256 KiB; Kafka adds the record batch's framing and the
 * `ce_*` headers to the value.
 */
export const MESSAGE_HEADROOM_BYTES = 16 * 1024;

export interface RequestRef {
  bucket: string;
  key: string;
  bytes: number;
  sha256: string;
}

type CommandType = typeof EventType.zipRequested | typeof EventType.reportRequested;

export const requestKey = (jobId: string): string => `${REQUEST_PREFIX}${jobId}.json`;

/** The command's size as the bus carries it: the structured-mode JSON (SQS's body; Kafka's value and headers are smaller). */
export function messageBytes(event: PipelineEvent): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

export function needsClaimCheck(event: PipelineEvent, maxMessageBytes: number): boolean {
  return messageBytes(event) > maxMessageBytes - MESSAGE_HEADROOM_BYTES;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Stores `data` at `requests/{jobId}.json`; resolves with its reference. */
export async function storeRequest(objects: ObjectStore, bucket: string, jobId: string, data: object): Promise<RequestRef> {
  const bytes = Buffer.from(JSON.stringify(data), 'utf8');
  const key = requestKey(jobId);
  await objects.put(bucket, key, Readable.from([bytes]), { contentType: 'application/json' });
  return { bucket, key, bytes: bytes.length, sha256: sha256(bytes) };
}

/** The command's `data` as sent with a stored request: the big part emptied, the reference added. */
export function withRequestRef<D extends Record<string, unknown>>(type: CommandType, data: D, ref: RequestRef): D & { requestRef: RequestRef } {
  if (type === EventType.zipRequested) {
    const source = data.source as Record<string, unknown>;
    return { ...data, source: 'keys' in source ? { ...source, keys: [] } : source, requestRef: ref };
  }
  // Up to 1,024 columns may be hundreds of KiB on their own: then they stay in the stored request only.
  const bigColumns = Buffer.byteLength(JSON.stringify(data.columns ?? [])) > BIG_COLUMNS_BYTES;
  return { ...data, ...('rows' in data ? { rows: [] } : {}), ...(bigColumns ? { columns: [] } : {}), requestRef: ref };
}

/** Columns larger than this (JSON bytes) are left out of a command whose request is stored. */
const BIG_COLUMNS_BYTES = 64 * 1024;

function badRequest(message: string, ref: RequestRef): PipelineError {
  return new PipelineError(`the stored request s3://${ref.bucket}/${ref.key} ${message}`, {
    code: ErrorCode.INVALID_EVENT,
    retriable: false,
    context: { requestRef: ref },
  });
}

async function readAll(stream: AsyncIterable<Buffer | string>, limit: number, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    signal?.throwIfAborted();
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > limit) break;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export interface LoadRequestOptions {
  objects: ObjectStore;
  /** ARTIFACTS_BUCKET: the only bucket a stored request is read from. */
  artifactsBucket: string;
  signal?: AbortSignal;
}

/**
 * The command with its stored request put back, or the command itself when it has none.
 * A reference outside `requests/{jobId}.json` of ARTIFACTS_BUCKET, a missing object, another
 * size or checksum, JSON that is not a valid command, or another job id or owner: INVALID_EVENT,
 * not retriable (the message is dead-lettered with the reason).
 */
export async function resolveStoredRequest<E extends PipelineEvent>(command: E, options: LoadRequestOptions): Promise<E> {
  const data = command.data as { jobId?: unknown; owner?: unknown; requestRef?: RequestRef };
  const ref = data.requestRef;
  if (ref === undefined) return command;
  if (command.type !== EventType.zipRequested && command.type !== EventType.reportRequested) {
    throw badRequest(`is named by a ${command.type}, which cannot carry one`, ref);
  }
  if (ref.bucket !== options.artifactsBucket || typeof data.jobId !== 'string' || ref.key !== requestKey(data.jobId)) {
    throw badRequest(`is not this job's (expected s3://${options.artifactsBucket}/${requestKey(String(data.jobId))})`, ref);
  }
  let bytes: Buffer;
  try {
    bytes = await readAll(await options.objects.get(ref.bucket, ref.key), ref.bytes, options.signal);
  } catch (err) {
    if (isPipelineError(err) && err.code === ErrorCode.NOT_FOUND) throw badRequest('is gone (the job ended, or the request expired)', ref);
    throw err;
  }
  if (bytes.length !== ref.bytes) throw badRequest(`is not the ${ref.bytes} bytes named`, ref);
  if (sha256(bytes) !== ref.sha256) throw badRequest('does not match the sha256 named', ref);
  let stored: unknown;
  try {
    stored = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badRequest('is not JSON', ref);
  }
  const problems = eventRegistry[command.type].validate(stored);
  if (problems.length > 0) throw badRequest(`is not a valid command: ${problems.slice(0, 5).join('; ')}`, ref);
  const full = stored as { jobId: string; owner: string; requestRef?: unknown };
  if (full.requestRef !== undefined) throw badRequest('names another stored request', ref);
  if (full.jobId !== data.jobId || full.owner !== data.owner) throw badRequest('belongs to another job or owner', ref);
  return { ...command, data: stored } as E;
}

export interface StoredRequestCleanup {
  /** Notes that the job's command had a stored request (call before building). */
  track(command: PipelineEvent): void;
  /** The bus to publish lifecycle events through: a final event deletes the tracked request. */
  bus: Bus;
}

/**
 * Wraps the bus a job worker publishes its lifecycle events on: once job.completed, or a
 * job.failed with `final: true`, of a tracked job is published, its stored request is
 * deleted (best effort: a failed delete is logged; the lifecycle rule removes it later).
 * A retriable failure keeps it for the next attempt.
 */
export function storedRequestCleanup(bus: Bus, objects: ObjectStore, artifactsBucket: string, logger: Logger): StoredRequestCleanup {
  // jobs whose request was stored; bounded so jobs given back to the bus cannot grow it. Only
  // the job's own key is ever deleted, whatever bucket or key a forged reference names.
  const tracked = createBoundedMap<string, true>(10_000);
  const wrapped: Bus = {
    consume: (topic, handler, options) => bus.consume(topic, handler, options),
    consumeRaw: (topic, handler, options) => bus.consumeRaw(topic, handler, options),
    drainDeadLetters: (topic, max) => bus.drainDeadLetters(topic, max),
    ensureTopic: (topic) => bus.ensureTopic(topic),
    resolveTopic: (topic) => bus.resolveTopic(topic),
    ping: () => bus.ping(),
    close: () => bus.close(),
    async publish(topic, event) {
      await bus.publish(topic, event);
      if (topic !== Topic.events) return;
      const data = event.data as { jobId?: unknown; final?: unknown };
      const final = event.type === EventType.jobCompleted || (event.type === EventType.jobFailed && data.final === true);
      if (!final || typeof data.jobId !== 'string' || !tracked.has(data.jobId)) return;
      tracked.delete(data.jobId);
      const key = requestKey(data.jobId);
      await objects.delete(artifactsBucket, key).catch((err: unknown) => {
        logger.warn({ err, jobId: data.jobId, key }, 'stored request not deleted; the lifecycle rule on requests/ removes it');
      });
    },
  };
  return {
    bus: wrapped,
    track(command) {
      const data = command.data as { jobId?: unknown; requestRef?: RequestRef };
      if (typeof data.jobId === 'string' && data.requestRef !== undefined) tracked.set(data.jobId, true);
    },
  };
}
