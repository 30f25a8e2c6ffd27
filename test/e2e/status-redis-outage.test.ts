/**
 * Redis stopped and restarted during a burst of 1,000 events loses none. A SEPARATE
 * redis-server on a free port (append-only file, fsync always, so a restart keeps what was
 * acknowledged) — the shared server is never stopped. 100 jobs × 10 events, each job's
 * events in order (as a Kafka partition delivers them), jobs in parallel.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProjector } from '../../services/status/src/project-event.js';
import { lifecycle } from '../../services/status/src/test-support.js';
import { waitFor, withDeadline } from '../harness/support.js';
import { freePort, startRedis, stopRedis } from './status-redis-server.js';
import { createTestJobStore } from './status-support.js';

interface Ctx { port: number; dir: string; child: ChildProcess }
const outage = suite<Ctx>('projector through a Redis outage');
outage.before(async (ctx) => {
  ctx.port = await freePort();
  ctx.dir = await mkdtemp(path.join(tmpdir(), 'status-outage-'));
  ctx.child = await startRedis(ctx.port, ctx.dir);
});
outage.after(async (ctx) => {
  await stopRedis(ctx.child);
  await rm(ctx.dir, { recursive: true, force: true });
});

outage('1,000 events with Redis stopped and restarted mid-burst: every job complete, every change applied once', async (ctx) => {
  const jobs = createTestJobStore('', `redis://127.0.0.1:${ctx.port}`);
  const project = createProjector({ jobs, retryMaxDelayMs: 250 });
  try {
    const ids = Array.from({ length: 100 }, (_, i) => `burst-${i}`);
    for (const id of ids) await jobs.create({ id, type: 'zip', owner: 'alice', input: {}, createdAt: new Date(Date.now() - 120_000).toISOString() });
    let handled = 0;
    let applied = 0;
    const burst = Promise.all(ids.map(async (id) => {
      for (const event of lifecycle(id, { steps: 8 })) {
        if ((await project(event)).applied) applied++;
        handled++;
      }
    }));
    await waitFor(() => handled >= 150, 'the burst to be under way', { timeoutMs: 20_000, intervalMs: 5 });
    await stopRedis(ctx.child);
    const handledWhileDown = handled;
    // Down long enough for every job to run into it (ms; the outage itself, not an assertion).
    await new Promise((r) => setTimeout(r, 1_500));
    assert.ok(handled - handledWhileDown < 100, 'the projection stalled while Redis was down');
    ctx.child = await startRedis(ctx.port, ctx.dir);
    await withDeadline(burst, 60_000, 'the burst to finish after the restart');

    assert.is(handled, 1_000);
    // A script that ran just before the connection dropped loses its reply; the retry then
    // finds the change already there (applied: false). The versions below prove each change
    // landed exactly once.
    assert.ok(applied <= 1_000 && applied > 900, `applied ${applied}`);
    for (const id of ids) {
      const job = (await jobs.get(id))!;
      assert.is(job.status, 'done', id);
      assert.is(job.version, 11, `${id}: the queued record plus 10 changes`);
      assert.equal(job.progress, { bytesDone: 4000, bytesTotal: 4000, itemsDone: 8, itemsTotal: 8 });
    }
  } finally {
    await jobs.close();
  }
});

outage.run();
