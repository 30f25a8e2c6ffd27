/**
 * Real responses of ingest's routes, checked against the OpenAPI document
 * (packages/shared/src/http/openapi.json). Status's routes join once status mounts them:
 * the checker (createOpenApiChecker) is the same.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createLocalObjectStore } from '@artifact-pipeline/shared/adapters/local-object-store';
import { createUserDirectory, hashPassword, parseScryptHash } from '@artifact-pipeline/shared/http/auth-users';
import { createOpenApiChecker, type OpenApiChecker } from '@artifact-pipeline/shared/http/openapi-check';
import { startIngest, type RunningIngest } from '../e2e/ingest-http-support.js';

interface Ctx { ingest: RunningIngest; checker: OpenApiChecker; dir: string }
const openapi = suite<Ctx>('OpenAPI document vs ingest');

openapi.before(async (ctx) => {
  ctx.dir = await mkdtemp(join(tmpdir(), 'openapi-'));
  ctx.checker = createOpenApiChecker();
  const hash = parseScryptHash(await hashPassword('pw', { N: 1024, r: 8, p: 1 }));
  ctx.ingest = await startIngest({
    bus: createMemoryBus(),
    jobs: createMemoryJobStore(),
    objects: createLocalObjectStore({ root: ctx.dir, publicBaseUrl: 'http://127.0.0.1:1', signingSecret: 'x'.repeat(32) }),
    users: createUserDirectory([{ username: 'ada', scopes: [], hash }]),
  });
});
openapi.after(async (ctx) => {
  await ctx.ingest.close();
  await rm(ctx.dir, { recursive: true, force: true });
});

async function conforms(ctx: Ctx, res: Response, method: string, path: string, status: number): Promise<void> {
  assert.is(res.status, status, `${method} ${path}`);
  const { problems } = await ctx.checker.checkFetch(res, method, path);
  assert.equal(problems, [], problems.join('\n'));
}

openapi('the checker is a factory and catches a response the document does not allow', (ctx) => {
  assert.type(createOpenApiChecker, 'function');
  const headers = new Headers({ 'content-type': 'application/json', location: '/v1/jobs/x', 'retry-after': '2' });
  const bad = ctx.checker.check({ status: 202, headers, text: '{"id": 1}' }, 'POST', '/v1/zip-jobs');
  assert.ok(bad.length > 0);
  assert.ok(ctx.checker.check({ status: 418, headers, text: '{}' }, 'POST', '/v1/zip-jobs')[0]?.includes('not declared'));
});

openapi('GET /v1/openapi.json serves the document without a token', async (ctx) => {
  const res = await fetch(`${ctx.ingest.base}/v1/openapi.json`);
  await conforms(ctx, res, 'GET', '/v1/openapi.json', 200);
});

openapi('POST /v1/zip-jobs: 202, 400, 401, 403, 413, 415, 422', async (ctx) => {
  const { post } = ctx.ingest;
  const path = '/v1/zip-jobs';
  await conforms(ctx, await post(path, { source: { prefix: 'inbox/team-a/a/' } }, { headers: { 'idempotency-key': 'one' } }), 'POST', path, 202);
  await conforms(ctx, await post(path, { source: { prefix: 'a/' }, extra: 1 }), 'POST', path, 400);
  await conforms(ctx, await post(path, { source: { prefix: 'a/' } }, { token: null }), 'POST', path, 401);
  await conforms(ctx, await post(path, { source: { bucket: 'elsewhere', prefix: 'a/' } }), 'POST', path, 403);
  await conforms(ctx, await post(path, { source: { prefix: 'inbox/team-b/' } }), 'POST', path, 403);
  await conforms(ctx, await post(path, undefined, { raw: JSON.stringify({ source: { keys: Array.from({ length: 18_000 }, () => 'k'.repeat(1000)) } }) }), 'POST', path, 413);
  await conforms(ctx, await post(path, undefined, { raw: 'prefix=a', headers: { 'content-type': 'text/plain' } }), 'POST', path, 415);
  await conforms(ctx, await post(path, { source: { prefix: 'inbox/team-a/b/' } }, { headers: { 'idempotency-key': 'one' } }), 'POST', path, 422);
});

openapi('POST /v1/reports: 202 and 400', async (ctx) => {
  const path = '/v1/reports';
  await conforms(ctx, await ctx.ingest.post(path, { format: 'pdf', rows: [{ a: 1 }] }), 'POST', path, 202);
  await conforms(ctx, await ctx.ingest.post(path, { format: 'pdf' }), 'POST', path, 400);
});

openapi('POST /v1/uploads: 200 with URLs', async (ctx) => {
  const path = '/v1/uploads';
  await conforms(ctx, await ctx.ingest.post(path, { files: [{ name: 'a.txt', contentType: 'text/plain' }], batch: 'b1' }), 'POST', path, 200);
  await conforms(ctx, await ctx.ingest.post(path, { files: [{ name: '_READY' }] }), 'POST', path, 400);
});

openapi('POST /v1/auth/token: 200 and 401', async (ctx) => {
  const path = '/v1/auth/token';
  await conforms(ctx, await ctx.ingest.post(path, { username: 'ada', password: 'pw' }, { token: null }), 'POST', path, 200);
  await conforms(ctx, await ctx.ingest.post(path, { username: 'ada', password: 'no' }, { token: null }), 'POST', path, 401);
});

/** node:http, not fetch: fetch refuses TRACE. */
function send(url: string, method: string, token: string): Promise<{ status: number; allow: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

openapi('TRACE, QUERY and GET on ingest\'s POST routes: 405 METHOD_NOT_ALLOWED with Allow: POST', async (ctx) => {
  const token = await ctx.ingest.token('team-a');
  for (const path of ['/v1/zip-jobs', '/v1/reports', '/v1/uploads', '/v1/events', '/v1/auth/token']) {
    for (const method of ['TRACE', 'QUERY', 'GET', 'DELETE']) {
      const res = await send(`${ctx.ingest.base}${path}`, method, token);
      assert.is(res.status, 405, `${method} ${path}`);
      assert.is(res.allow, 'POST', `${method} ${path}`);
      assert.is((JSON.parse(res.body) as { code: string }).code, 'METHOD_NOT_ALLOWED');
    }
  }
  const openApi = await send(`${ctx.ingest.base}/v1/openapi.json`, 'TRACE', token);
  assert.is(openApi.status, 405);
  assert.is(openApi.allow, 'HEAD, GET');
});

openapi.run();
