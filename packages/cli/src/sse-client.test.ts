import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PipelineError } from '@artifact-pipeline/shared/errors';
import type { ApiClient } from './api-client.js';
import type { ApiJob } from './api-types.js';
import { readSseMessages, watchJob, type SseMessage } from './sse-client.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of readSseMessages(streamOf(chunks))) out.push(m);
  return out;
}

const read = suite('readSseMessages');

read('messages split across chunks, CRLF, comments and multi-line data', async () => {
  const messages = await collect([': heartbeat\n\nid: 1\nev', 'ent: job\ndata: {"a"', ':1}\n\r\n', 'data: x\ndata: y\n\n', 'data: cut']);
  assert.equal(messages, [
    { id: '1', event: 'job', data: '{"a":1}' },
    { event: 'message', data: 'x\ny' },
  ]);
});

read.run();

function job(version: number, status: ApiJob['status']): ApiJob {
  return {
    id: 'j1', type: 'zip', owner: 'o', status, version, createdAt: '', updatedAt: '',
    progress: { bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0, percent: 0 },
    links: { self: '', download: '', events: '' },
  };
}

const frame = (j: ApiJob): string => `id: ${j.version}\nevent: job\ndata: ${JSON.stringify(j)}\n\n`;

/** A client whose events streams are scripted: each call answers the next entry. */
function scripted(answers: Array<string[] | Error>): { client: ApiClient; lastEventIds: Array<number | undefined> } {
  const lastEventIds: Array<number | undefined> = [];
  const client = {
    async openEvents(_id: string, lastEventId: number | undefined) {
      lastEventIds.push(lastEventId);
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers scripted');
      if (next instanceof Error) throw next;
      return new Response(streamOf(next));
    },
  } as unknown as ApiClient;
  return { client, lastEventIds };
}

const watch = suite('watchJob');

watch('follows to the final state, resuming after a dropped stream with Last-Event-ID', async () => {
  const { client, lastEventIds } = scripted([
    [frame(job(1, 'queued')), frame(job(2, 'processing'))],
    new PipelineError('reset', { code: 'UNAVAILABLE', retriable: true }),
    [frame(job(3, 'processing')), frame(job(4, 'done'))],
  ]);
  const seen: number[] = [];
  const final = await watchJob(client, 'j1', { onJob: (j) => seen.push(j.version), reconnectMs: 1 });
  assert.is(final.status, 'done');
  assert.equal(seen, [1, 2, 3, 4]);
  assert.equal(lastEventIds, [undefined, 2, 2]);
});

watch('a not-retriable answer (404) is thrown at once', async () => {
  const { client } = scripted([new PipelineError('no job', { code: 'NOT_FOUND', retriable: false })]);
  try {
    await watchJob(client, 'j1', { reconnectMs: 1 });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.is((err as PipelineError).code, 'NOT_FOUND');
  }
});

watch('gives up after maxReconnects streams in a row that end without news', async () => {
  const { client, lastEventIds } = scripted([[], [], [], []]);
  try {
    await watchJob(client, 'j1', { reconnectMs: 1, maxReconnects: 2 });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.is((err as PipelineError).code, 'UNAVAILABLE');
  }
  assert.is(lastEventIds.length, 3);
});

watch.run();
