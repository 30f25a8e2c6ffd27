/**
 * GET /v1/jobs/{id}/events — Server-Sent Events (HTML Living Standard §9.2): each change as
 * `id: <version>`, `event: job`, `data: <job json>`; a comment line as heartbeat every 15 s
 * (keeps proxies from closing an idle stream); the stream ends after a final state.
 *
 * Resume: `Last-Event-ID` (or `?lastEventId=`) is the last version the client saw; the
 * current state goes out only when it is newer, then live changes. The subscription is
 * opened before the state is read (redis-job-store.ts), and versions at or below the last
 * one sent are skipped, so nothing falls in between and nothing is sent twice.
 */
import { PassThrough } from 'node:stream';
import type { Job, JobStore } from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { Router } from '@koa/router';
import { isFinal, toJobView } from './job-view.js';
import { loadVisibleJob } from './routes-jobs.js';
import type { StatusState } from './principal.js';

export interface EventRoutesOptions {
  jobs: JobStore;
  metrics?: Metrics;
  /** Between heartbeat comments, in ms. Default 15,000. */
  heartbeatMs?: number;
}

/** One SSE message. JSON has no raw newlines, so one `data:` line holds it. */
export function formatJobMessage(job: Job): string {
  return `id: ${job.version}\nevent: job\ndata: ${JSON.stringify(toJobView(job))}\n\n`;
}

function lastEventId(header: string, query: unknown): number {
  const raw = header || (typeof query === 'string' ? query : '');
  const n = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(n) ? n : 0;
}

export function eventRoutes({ jobs, metrics, heartbeatMs = 15_000 }: EventRoutesOptions): Router<StatusState> {
  const router = new Router<StatusState>();

  router.get('/v1/jobs/:id/events', async (ctx) => {
    const jobId = ctx.params.id!;
    await loadVisibleJob(ctx, jobs, jobId);
    let sent = lastEventId(ctx.get('last-event-id'), ctx.query.lastEventId);
    const stream = new PassThrough();
    let closed = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    let heartbeat: NodeJS.Timeout | undefined;

    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      metrics?.sseStreamsOpen.dec();
      void unsubscribe?.().catch((err: unknown) => ctx.state.log.warn({ err, jobId }, 'SSE unsubscribe failed'));
      stream.end();
    };
    const send = (job: Job): void => {
      if (closed || job.version <= sent) return;
      sent = job.version;
      stream.write(formatJobMessage(job));
      if (isFinal(job)) close();
    };

    metrics?.sseStreamsOpen.inc();
    ctx.res.once('close', close);
    try {
      unsubscribe = await jobs.subscribe(jobId, send);
      const current = await jobs.get(jobId);
      if (current === undefined) {
        close();
      } else {
        // A client resuming after the final state gets nothing new: close at once.
        if (isFinal(current) && current.version <= sent) close();
        send(current);
      }
    } catch (err) {
      close();
      throw err;
    }

    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.type = 'text/event-stream';
    ctx.status = 200;
    ctx.body = stream;
    if (!closed) {
      stream.write(': stream open\n\n');
      heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs);
    }
  });

  return router;
}
