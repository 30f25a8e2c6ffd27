import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SignJWT } from 'jose';
import { PipelineError } from '../errors.js';
import { issueToken } from './auth-token.js';
import { createTokenVerifier } from './auth-verify.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const T0 = Date.parse('2026-06-01T12:00:00.000Z');

async function refusal(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (err) {
    assert.instance(err, PipelineError);
    return err as PipelineError;
  }
  throw new Error('the token was accepted');
}

const remembered = suite('createTokenVerifier: verified tokens remembered');
remembered('a token accepted once is refused after it expires, remembered or not', async () => {
  let now = T0;
  const verify = createTokenVerifier({ jwtSecret: SECRET, clockToleranceSeconds: 0, cacheSeconds: 3600, clock: () => now });
  const token = await issueToken({ secret: SECRET, subject: 'team-a', ttlSeconds: 10, now: new Date(T0) });
  assert.equal(await verify(token), { owner: 'team-a', admin: false });
  now = T0 + 5_000;
  assert.equal(await verify(token), { owner: 'team-a', admin: false });
  now = T0 + 11_000;
  const err = await refusal(verify(token));
  assert.is(err.code, 'UNAUTHORIZED');
  assert.match(err.message, /expired/);
});
remembered('the clock tolerance still applies to a remembered token', async () => {
  let now = T0;
  const verify = createTokenVerifier({ jwtSecret: SECRET, clockToleranceSeconds: 30, clock: () => now });
  const token = await issueToken({ secret: SECRET, subject: 'team-a', ttlSeconds: 10, now: new Date(T0) });
  await verify(token);
  now = T0 + 35_000;
  assert.equal(await verify(token), { owner: 'team-a', admin: false }, 'within exp + 30 s');
  now = T0 + 41_000;
  assert.is((await refusal(verify(token))).code, 'UNAUTHORIZED');
});
remembered('a token with another signature is refused even beside a remembered one', async () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET });
  const good = await issueToken({ secret: SECRET, subject: 'team-a' });
  await verify(good);
  const forged = await issueToken({ secret: 'another-secret-of-at-least-32-characters', subject: 'team-a' });
  assert.match((await refusal(verify(forged))).message, /signature/);
  const [header, payload] = good.split('.');
  assert.is((await refusal(verify(`${header}.${payload}.AAAA`))).code, 'UNAUTHORIZED');
});
remembered('with the memory off (cacheSeconds 0) and a memory of one, tokens still verify', async () => {
  for (const options of [{ cacheSeconds: 0 }, { cacheEntries: 1 }]) {
    const verify = createTokenVerifier({ jwtSecret: SECRET, ...options });
    const a = await issueToken({ secret: SECRET, subject: 'a' });
    const b = await issueToken({ secret: SECRET, subject: 'b', scopes: ['admin'] });
    for (let i = 0; i < 3; i++) {
      assert.equal(await verify(a), { owner: 'a', admin: false });
      assert.equal(await verify(b), { owner: 'b', admin: true });
    }
  }
});
remembered.run();

const lifetime = suite('createTokenVerifier: every token expires, and soon enough');
const sign = (claims: { exp?: number; iat?: number }): Promise<string> => {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('team-a');
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(SECRET));
};
const nowS = Math.floor(T0 / 1000);

lifetime('a token without exp is refused, saying why', async () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET, clock: () => T0 });
  for (const token of [await sign({}), await sign({ iat: nowS })]) {
    const err = await refusal(verify(token));
    assert.is(err.code, 'UNAUTHORIZED');
    assert.match(err.message, /no exp claim/);
  }
});

lifetime('exp - iat above the maximum is refused; at the maximum it is accepted', async () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET, maxLifetimeSeconds: 7200, clock: () => T0 });
  assert.equal(await verify(await sign({ iat: nowS, exp: nowS + 7200 })), { owner: 'team-a', admin: false });
  const err = await refusal(verify(await sign({ iat: nowS - 3600, exp: nowS + 3601 })));
  assert.match(err.message, /lifetime \(exp - iat\) is 7201 s; at most 7200 s/);
});

lifetime('without iat, or with a late iat, exp is measured from now', async () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET, maxLifetimeSeconds: 7200, clockToleranceSeconds: 30, clock: () => T0 });
  assert.equal(await verify(await sign({ exp: nowS + 7200 })), { owner: 'team-a', admin: false });
  assert.match((await refusal(verify(await sign({ exp: nowS + 86_400 })))).message, /expires in 86400 s; at most 7200 s/);
  // iat claimed a day ahead with a short exp - iat: still a day of life from now.
  assert.match((await refusal(verify(await sign({ iat: nowS + 86_000, exp: nowS + 86_400 })))).message, /expires in 86400 s/);
});

lifetime('the default maximum is 24 h, and the token endpoint\'s 1 h tokens pass', async () => {
  const verify = createTokenVerifier({ jwtSecret: SECRET, clock: () => T0 });
  assert.equal(await verify(await issueToken({ secret: SECRET, subject: 'team-a', now: new Date(T0) })), { owner: 'team-a', admin: false });
  assert.ok(await verify(await sign({ iat: nowS, exp: nowS + 86_400 })));
  assert.match((await refusal(verify(await sign({ iat: nowS, exp: nowS + 86_401 })))).message, /86401 s; at most 86400 s/);
});

lifetime.run();
