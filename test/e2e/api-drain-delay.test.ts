/**
 * A rollout as the load balancer sees it: ingest and status, each a process configured by
 * its environment with the SHUTDOWN_DELAY_SECONDS the chart gives them, get SIGTERM while
 * ready. /readyz turns 503 at once (the balancer and kube-proxy take the pod out), yet the
 * API keeps answering requests until the delay is over (no request sent in those seconds
 * meets a closed port: the 502s of a rollout); then the process exits 0 and the port is
 * closed. SQS (moto), S3 and Redis.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';
import {
  JWT_SECRET, OWNER, deleteQueues, pipelineEnv, provision, spawnService, untilHealthy, type ServiceProcess,
} from './pipeline-processes-support.js';

/** Seconds of serving after SIGTERM: long enough for a few requests on a busy machine. */
const DELAY_SECONDS = 5;

interface Ctx {
  prefix: string;
  children: ServiceProcess[];
}

const test = suite<Ctx>('ingest and status serve on through the drain delay', { prefix: '', children: [] });

test.after(async (ctx) => {
  await Promise.all(ctx.children.map((c) => c.stop(5_000)));
  if (ctx.prefix) await deleteQueues(ctx.prefix);
});

async function ready(proc: ServiceProcess): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(`${proc.url}/readyz`);
      if (res.status !== 200) throw new Error(`GET /readyz answered ${res.status}`);
      return true;
    },
    `${proc.name} to be ready`,
    { timeoutMs: 60_000, intervalMs: 250 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${proc.name} output:\n${proc.output()}`);
  });
}

/** An API request a user makes of each service (authenticated, so the whole stack answers). */
async function apiRequest(service: 'ingest' | 'status', proc: ServiceProcess, token: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  const res = service === 'status'
    ? await fetch(`${proc.url}/v1/jobs?limit=1`, { headers })
    : await fetch(`${proc.url}/v1/zip-jobs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
  await res.arrayBuffer();
  return res.status;
}

for (const service of ['ingest', 'status'] as const) {
  test(`${service}: after SIGTERM /readyz is 503 while requests are still answered; then exit 0`, async (ctx) => {
    assert.ok(servers().redisUrl, 'REDIS_URL');
    ctx.prefix ||= `${uniqueName('drain').slice(0, 30)}-`;
    const bucket = ctx.prefix.replace(/-$/, '').toLowerCase();
    const env = pipelineEnv('sqs', { busPrefix: ctx.prefix, bucket }, { SHUTDOWN_DELAY_SECONDS: String(DELAY_SECONDS), LOG_LEVEL: 'info' });
    if (service === 'ingest') await provision(env);
    const token = await issueToken({ secret: JWT_SECRET, subject: OWNER });
    const proc = await spawnService(service, env);
    ctx.children.push(proc);
    await untilHealthy(proc);
    await ready(proc);
    const before = await apiRequest(service, proc, token);
    assert.ok(before < 500, `the API answers before SIGTERM (${before})`);

    proc.child.kill('SIGTERM');
    await waitFor(
      async () => (await fetch(`${proc.url}/readyz`)).status === 503 || undefined,
      `${service} /readyz to answer 503 after SIGTERM`,
      { timeoutMs: 3_000, intervalMs: 20 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${proc.output()}`);
    });
    // Taken out of rotation, but what the balancer still sends is answered.
    assert.is((await fetch(`${proc.url}/healthz`)).status, 200, 'still alive');
    assert.is(await apiRequest(service, proc, token), before, 'the same answer as before SIGTERM');
    assert.is(proc.child.exitCode, null, 'still running');

    const code = await withDeadline(proc.exited, (DELAY_SECONDS + 30) * 1000, `${service} to exit after the delay`);
    assert.ok(code === 0, `exit code ${code}\n${proc.output()}`);
    await fetch(`${proc.url}/healthz`).then(
      () => assert.unreachable('the port is closed after exit'),
      (err: Error) => assert.match(String((err as { cause?: { code?: string } }).cause?.code ?? err.message), /ECONNREFUSED/),
    );
  });
}

test.run();
