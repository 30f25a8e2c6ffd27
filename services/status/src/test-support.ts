/**
 * Test-only helpers: a koa app with the kernel's problem responses and a stand-in for the
 * token middleware (X-Test-Owner / X-Test-Admin headers become ctx.state.principal), served
 * on an ephemeral 127.0.0.1 port, and events shaped as the workers publish them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Router } from '@koa/router';
import { EventType, createEvent, silentLogger, type PipelineEvent } from '@artifact-pipeline/shared';
import { problemResponses } from '@artifact-pipeline/shared/http/problem-responses';
import type { StatusMiddleware, StatusState } from './principal.js';

export const testPrincipal: StatusMiddleware = async (ctx, next) => {
  const owner = ctx.get('x-test-owner');
  if (owner) ctx.state.principal = { owner, admin: ctx.get('x-test-admin') === 'true' };
  await next();
};

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function serveRoutes(routers: Router<StatusState>[]): Promise<TestServer> {
  const app = new Koa<StatusState>();
  app.use(async (ctx, next) => {
    ctx.state.log = silentLogger();
    ctx.state.requestId = 'test';
    await next();
  });
  app.use(problemResponses({ logger: silentLogger() }) as unknown as StatusMiddleware);
  app.use(testPrincipal);
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function as(owner: string, admin = false): Record<string, string> {
  return { 'x-test-owner': owner, 'x-test-admin': String(admin) };
}

/** One job's lifecycle as a worker publishes it: started, `steps` progress events, completed. */
export function lifecycle(jobId: string, { steps = 4, start = Date.now() - 60_000, bytesTotal = 4000, bucket = 'artifacts', key = `zips/${jobId}/out.zip` } = {}): PipelineEvent[] {
  const at = (i: number): string => new Date(start + i * 1000).toISOString();
  const source = '/artifact-pipeline/zipper';
  const events: PipelineEvent[] = [createEvent(EventType.jobStarted, { jobId, type: 'zip', attempt: 1 }, { source, subject: jobId, time: at(0) })];
  for (let i = 1; i <= steps; i++) {
    const bytesDone = Math.round((bytesTotal * i) / steps);
    events.push(createEvent(EventType.jobProgressed, { jobId, bytesDone, bytesTotal, itemsDone: i, itemsTotal: steps }, { source, subject: jobId, time: at(i) }));
  }
  events.push(createEvent(EventType.jobCompleted, {
    jobId,
    output: { bucket, key, size: 1234, contentType: 'application/zip' },
    downloadUrl: `https://example.test/${key}`,
    expiresAt: at(86_400),
  }, { source, subject: jobId, time: at(steps + 1) }));
  return events;
}

export function failedEvent(jobId: string, attempt: number, final: boolean, time: string): PipelineEvent {
  return createEvent(EventType.jobFailed, { jobId, attempt, final, error: { code: 'SOURCE_EMPTY', message: 'nothing to zip', retriable: false } }, { source: '/artifact-pipeline/zipper', subject: jobId, time });
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads an SSE response until the server ends it; comments are counted, not returned. */
export async function readSse(res: Response, onMessage?: (m: SseMessage) => void): Promise<{ messages: SseMessage[]; comments: number }> {
  const messages: SseMessage[] = [];
  let comments = 0;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: SseMessage = { data: '' };
      let isComment = true;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        isComment = false;
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') message.id = value;
        else if (field === 'event') message.event = value;
        else if (field === 'data') message.data += value;
      }
      if (isComment) comments++;
      else {
        messages.push(message);
        onMessage?.(message);
      }
    }
  }
  return { messages, comments };
}
