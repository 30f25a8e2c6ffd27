import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Koa from 'koa';
import { SignJWT } from 'jose';
import { silentLogger } from '../logger.js';
import { problemResponses } from './problem-responses.js';
import { bearerAuth, principalOf } from './auth.js';
import { issueToken } from './auth-token.js';
import type { HttpState } from './router.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
interface Ctx { server: Server; base: string }

async function serve(ctx: Ctx, mode: 'jwt' | 'none'): Promise<void> {
  const app = new Koa<HttpState>();
  app.use(problemResponses({ logger: silentLogger() }));
  app.use(bearerAuth({ auth: { mode, jwtSecret: SECRET, jwksUrl: undefined, usersFile: undefined }, logger: silentLogger() }));
  app.use(async (c) => { c.body = principalOf(c); });
  ctx.server = createServer(app.callback());
  await new Promise<void>((r) => ctx.server.listen(0, '127.0.0.1', r));
  ctx.base = `http://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
}
const close = (ctx: Ctx) => new Promise<void>((r) => ctx.server.close(() => r()));
const get = (ctx: Ctx, token?: string) => fetch(ctx.base, token ? { headers: { authorization: `Bearer ${token}` } } : {});

const jwt = suite<Ctx>('bearerAuth (jwt)');
jwt.before((ctx) => serve(ctx, 'jwt'));
jwt.after(close);

jwt('is a middleware factory', () => assert.type(bearerAuth, 'function'));

jwt('a valid token sets the principal: sub is the owner, scope admin is admin', async (ctx) => {
  const plain = await get(ctx, await issueToken({ secret: SECRET, subject: 'team-a' }));
  assert.is(plain.status, 200);
  assert.equal(await plain.json(), { owner: 'team-a', admin: false });
  const admin = await get(ctx, await issueToken({ secret: SECRET, subject: 'ops', scopes: ['read', 'admin'] }));
  assert.equal(await admin.json(), { owner: 'ops', admin: true });
});

jwt('no token is 401 problem+json with a Bearer challenge', async (ctx) => {
  const res = await get(ctx);
  assert.is(res.status, 401);
  assert.match(res.headers.get('content-type') ?? '', 'application/problem+json');
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="artifact-pipeline"$/);
  assert.is(((await res.json()) as { code: string }).code, 'UNAUTHORIZED');
});

jwt('a token signed with another secret is 401 invalid_token', async (ctx) => {
  const res = await get(ctx, await issueToken({ secret: 'another-secret-that-is-32-characters-long', subject: 'x' }));
  assert.is(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', 'error="invalid_token"');
});

jwt('an expired token is 401 and says so', async (ctx) => {
  const res = await get(ctx, await issueToken({ secret: SECRET, subject: 'x', ttlSeconds: 60, now: new Date(Date.now() - 3600_000) }));
  assert.is(res.status, 401);
  assert.match(((await res.json()) as { detail: string }).detail, 'expired');
});

jwt('an unsigned (alg none) token and one without sub are 401', async (ctx) => {
  const [h, p] = [{ alg: 'none', typ: 'JWT' }, { sub: 'x' }].map((o) => Buffer.from(JSON.stringify(o)).toString('base64url'));
  assert.is((await get(ctx, `${h}.${p}.`)).status, 401);
  const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
  assert.is((await get(ctx, noSub)).status, 401);
});

jwt('a malformed Authorization header is 401', async (ctx) => {
  const res = await fetch(ctx.base, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  assert.is(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', 'invalid_request');
});

jwt.run();

const none = suite<Ctx>('bearerAuth (none)');
none.before((ctx) => serve(ctx, 'none'));
none.after(close);
none('every request is the local admin', async (ctx) => {
  const res = await get(ctx);
  assert.equal(await res.json(), { owner: 'local', admin: true });
});
none.run();
