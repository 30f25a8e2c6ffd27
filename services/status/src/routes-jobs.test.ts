import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JobStore } from '@artifact-pipeline/shared';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { jobRoutes, listQuery } from './routes-jobs.js';
import { as, serveRoutes, type TestServer } from './test-support.js';

interface Ctx { jobs: JobStore; server: TestServer }

const routes = suite<Ctx>('jobRoutes');

routes.before(async (ctx) => {
  ctx.jobs = createMemoryJobStore();
  ctx.server = await serveRoutes([jobRoutes({ jobs: ctx.jobs })]);
  const t0 = Date.now() - 10_000;
  for (let i = 0; i < 5; i++) {
    await ctx.jobs.create({ id: `a-${i}`, type: 'zip', owner: 'alice', input: { prefix: `p${i}/` }, createdAt: new Date(t0 + i).toISOString() });
  }
  await ctx.jobs.create({ id: 'b-0', type: 'report', owner: 'bob', input: {}, createdAt: new Date(t0 + 9).toISOString() });
  await ctx.jobs.apply('a-4', { kind: 'started', attempt: 1, at: new Date().toISOString() });
});
routes.after(async ({ server, jobs }) => {
  await server.close();
  await jobs.close();
});

routes('returns a router', ({ jobs }) => {
  assert.type(jobRoutes({ jobs }).routes, 'function');
});

routes('the owner reads a job with progress, links and Retry-After', async ({ server }) => {
  const res = await fetch(`${server.url}/v1/jobs/a-4`, { headers: as('alice') });
  assert.is(res.status, 200);
  assert.is(res.headers.get('retry-after'), '2');
  const body = (await res.json()) as Record<string, any>;
  assert.is(body.status, 'processing');
  assert.is(body.progress.percent, 0);
  assert.equal(body.links, { self: '/v1/jobs/a-4', download: '/v1/jobs/a-4/download', events: '/v1/jobs/a-4/events' });
});

routes('another owner gets 404 as for a missing job; admin sees it', async ({ server }) => {
  const other = await fetch(`${server.url}/v1/jobs/a-1`, { headers: as('bob') });
  const missing = await fetch(`${server.url}/v1/jobs/nope`, { headers: as('bob') });
  assert.is(other.status, 404);
  assert.is(missing.status, 404);
  assert.is(((await other.json()) as { code: string }).code, 'NOT_FOUND');
  assert.is(((await missing.json()) as { code: string }).code, 'NOT_FOUND');
  assert.is((await fetch(`${server.url}/v1/jobs/a-1`, { headers: as('root', true) })).status, 200);
});

routes('no principal is 401', async ({ server }) => {
  const res = await fetch(`${server.url}/v1/jobs/a-1`);
  assert.is(res.status, 401);
});

routes('listing pages through the caller\'s jobs, newest first', async ({ server }) => {
  const first = (await (await fetch(`${server.url}/v1/jobs?limit=3`, { headers: as('alice') })).json()) as { items: { id: string }[]; nextCursor: string };
  assert.equal(first.items.map((j) => j.id), ['a-4', 'a-3', 'a-2']);
  const second = (await (await fetch(`${server.url}/v1/jobs?limit=3&cursor=${first.nextCursor}`, { headers: as('alice') })).json()) as { items: { id: string }[]; nextCursor: unknown };
  assert.equal(second.items.map((j) => j.id), ['a-1', 'a-0']);
  assert.is(second.nextCursor, undefined);
  const processing = (await (await fetch(`${server.url}/v1/jobs?status=processing`, { headers: as('alice') })).json()) as { items: { id: string }[] };
  assert.equal(processing.items.map((j) => j.id), ['a-4']);
});

routes('only admin lists other owners; admin sees all and filters by owner', async ({ server }) => {
  assert.is((await fetch(`${server.url}/v1/jobs?owner=bob`, { headers: as('alice') })).status, 403);
  const all = (await (await fetch(`${server.url}/v1/jobs?limit=100`, { headers: as('root', true) })).json()) as { items: unknown[] };
  assert.ok(all.items.length >= 6);
  const bob = (await (await fetch(`${server.url}/v1/jobs?owner=bob`, { headers: as('root', true) })).json()) as { items: { id: string }[] };
  assert.equal(bob.items.map((j) => j.id), ['b-0']);
});

routes('bad parameters are 400 naming the field', async ({ server }) => {
  const res = await fetch(`${server.url}/v1/jobs?limit=0`, { headers: as('alice') });
  assert.is(res.status, 400);
  assert.is(((await res.json()) as { context: { field: string } }).context.field, 'limit');
  assert.is((await fetch(`${server.url}/v1/jobs?cursor=zzz`, { headers: as('alice') })).status, 400);
  assert.is((await fetch(`${server.url}/v1/jobs?colour=red`, { headers: as('alice') })).status, 400);
});

routes.run();

const query = suite('listQuery');
query('reads each known parameter', () => {
  assert.equal(listQuery({ status: 'done', limit: '5', cursor: 'c', owner: 'o' }), { status: 'done', limit: 5, cursor: 'c', owner: 'o' });
});
query('refuses a repeated parameter', () => {
  assert.throws(() => listQuery({ status: ['done', 'failed'] }), /once/);
});
query.run();
