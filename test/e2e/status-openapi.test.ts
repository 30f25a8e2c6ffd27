/**
 * The status routes answer as the OpenAPI document says (packages/shared/src/http/openapi.json):
 * every status code, header and body of GET /v1/jobs, /v1/jobs/{id}, /download, /events
 * checked with the shared checker against a real server (Redis, moto S3, JWT auth).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createOpenApiChecker, type OpenApiChecker } from '@artifact-pipeline/shared/http/openapi-check';
import { lifecycle } from '../../services/status/src/test-support.js';
import { createStatusWorld, putArtifact, type StatusWorld } from './status-support.js';

interface Ctx { world: StatusWorld; checker: OpenApiChecker; alice: string; admin: string; done: string; queued: string }

const contract = suite<Ctx>('status routes against the OpenAPI document');
contract.before(async (ctx) => {
  ctx.world = await createStatusWorld('none');
  ctx.checker = createOpenApiChecker();
  ctx.alice = await ctx.world.token('alice');
  ctx.admin = await ctx.world.token('root', true);
  const { world } = ctx;
  ctx.done = `${world.name}-done`;
  ctx.queued = `${world.name}-queued`;
  const created = new Date(Date.now() - 120_000).toISOString();
  await world.jobs.create({ id: ctx.queued, type: 'report', owner: 'alice', input: { format: 'xlsx' }, createdAt: created });
  await world.jobs.create({ id: ctx.done, type: 'zip', owner: 'alice', input: { prefix: 'p/' }, createdAt: created });
  const key = `zips/${ctx.done}/a.zip`;
  await putArtifact(world, key, 'zip');
  for (const event of lifecycle(ctx.done, { bucket: world.bucket, key })) await world.service.project(event);
});
contract.after(async ({ world }) => world?.close());

const cases: Array<[string, string, (c: Ctx) => string, (c: Ctx) => string, number]> = [
  ['a job', '/v1/jobs/{id}', (c) => `/v1/jobs/${c.done}`, (c) => c.alice, 200],
  ['a job not final (Retry-After)', '/v1/jobs/{id}', (c) => `/v1/jobs/${c.queued}`, (c) => c.alice, 200],
  ['a missing job', '/v1/jobs/{id}', () => '/v1/jobs/nope', (c) => c.alice, 404],
  ['no token', '/v1/jobs/{id}', (c) => `/v1/jobs/${c.done}`, () => '', 401],
  ['a page', '/v1/jobs', () => '/v1/jobs?limit=1', (c) => c.alice, 200],
  ['the admin listing by owner', '/v1/jobs', () => '/v1/jobs?owner=alice', (c) => c.admin, 200],
  ['another owner without admin', '/v1/jobs', () => '/v1/jobs?owner=bob', (c) => c.alice, 403],
  ['a bad limit', '/v1/jobs', () => '/v1/jobs?limit=500', (c) => c.alice, 400],
  ['the download', '/v1/jobs/{id}/download', (c) => `/v1/jobs/${c.done}/download`, (c) => c.alice, 302],
  ['a download not ready', '/v1/jobs/{id}/download', (c) => `/v1/jobs/${c.queued}/download`, (c) => c.alice, 409],
  ['the events of a final job', '/v1/jobs/{id}/events', (c) => `/v1/jobs/${c.done}/events`, (c) => c.alice, 200],
];

for (const [label, template, path, token, status] of cases) {
  contract(`${label}: ${status} as documented`, async (ctx) => {
    const auth = token(ctx);
    const res = await fetch(`${ctx.world.url}${path(ctx)}`, { redirect: 'manual', headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    assert.is(res.status, status);
    const { problems } = await ctx.checker.checkFetch(res, 'GET', template);
    assert.equal(problems, []);
  });
}

contract('the SSE stream: every event is the documented `job` event with a Job as data', async (ctx) => {
  const res = await fetch(`${ctx.world.url}/v1/jobs/${ctx.done}/events`, { headers: { authorization: `Bearer ${ctx.alice}`, 'last-event-id': 'not-a-number' } });
  assert.is(res.status, 200);
  const text = await res.text();
  // A value that is not a whole number is ignored (as documented): the current state comes.
  assert.match(text, /^id: \d+\nevent: job\ndata: \{/m);
  const headers = new Headers({ 'content-type': 'text/event-stream' });
  assert.equal(ctx.checker.check({ status: 200, headers, text }, 'GET', '/v1/jobs/{id}/events'), []);
  const broken = [
    'id: 1\nevent: job\ndata: {"id":"x"}\n\n', // data is not a Job
    `id: 1\nevent: change\ndata: ${text.split('\n').find((l) => l.startsWith('data: '))!.slice(6)}\n\n`, // another event name
    'id: x\nevent: job\ndata: not json\n\n',
  ];
  for (const body of broken) assert.ok(ctx.checker.check({ status: 200, headers, text: body }, 'GET', '/v1/jobs/{id}/events').length > 0, body);
});

contract('410 when the artifact is gone, as documented', async (ctx) => {
  const job = (await ctx.world.jobs.get(ctx.done))!;
  await ctx.world.objects.delete(job.output!.bucket, job.output!.key);
  const res = await fetch(`${ctx.world.url}/v1/jobs/${ctx.done}/download`, { redirect: 'manual', headers: { authorization: `Bearer ${ctx.alice}` } });
  assert.is(res.status, 410);
  assert.equal((await ctx.checker.checkFetch(res, 'GET', '/v1/jobs/{id}/download')).problems, []);
});

contract.run();
