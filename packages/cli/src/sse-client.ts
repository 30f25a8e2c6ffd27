/**
 * Follows one job through GET /v1/jobs/{id}/events (Server-Sent Events, HTML Living
 * Standard §9.2): each `event: job` message carries the job as JSON, `id:` its version.
 * The server ends the stream after a final state. When the connection drops before that,
 * it reconnects with `Last-Event-ID` (the last version seen), waiting `reconnectMs`
 * (default 1,000 ms) between tries, at most `maxReconnects` (default 30) times in a row.
 */
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared/errors';
import type { ApiClient } from './api-client.js';
import { isFinalJob, type ApiJob } from './api-types.js';

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Splits a text/event-stream body into messages; comment lines (heartbeats) are skipped. */
export async function* readSseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\n|\r/)) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (current.data.length > 0) {
          yield { ...(current.id !== undefined ? { id: current.id } : {}), event: current.event ?? 'message', data: current.data.join('\n') };
        }
        current = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') current.data.push(value);
      else if (field === 'id') current.id = value;
      else if (field === 'event') current.event = value;
    }
  }
}

export interface WatchOptions {
  /** Called with every state the stream sends, in order. */
  onJob?: (job: ApiJob) => void;
  signal?: AbortSignal;
  reconnectMs?: number;
  maxReconnects?: number;
}

/** Resolves with the job's final state (done or failed). */
export async function watchJob(client: ApiClient, id: string, options: WatchOptions = {}): Promise<ApiJob> {
  const { onJob, signal, reconnectMs = 1_000, maxReconnects = 30 } = options;
  let lastVersion: number | undefined;
  let failures = 0;
  for (;;) {
    try {
      const res = await client.openEvents(id, lastVersion, signal);
      if (!res.body) throw new PipelineError('the events stream has no body', { code: ErrorCode.UNAVAILABLE, retriable: true });
      for await (const message of readSseMessages(res.body)) {
        if (message.event !== 'job') continue;
        const job = JSON.parse(message.data) as ApiJob;
        failures = 0;
        lastVersion = job.version;
        onJob?.(job);
        if (isFinalJob(job)) return job;
      }
      // ended before a final state (server restart, proxy timeout): resume from lastVersion
      throw new PipelineError('the events stream ended before the job finished', { code: ErrorCode.UNAVAILABLE, retriable: true });
    } catch (err) {
      // 4xx (no such job, no access) will not get better by reconnecting
      if (signal?.aborted || !(err instanceof PipelineError ? err.retriable : true)) throw err;
      if (++failures > maxReconnects) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, reconnectMs));
  }
}
