import { suite } from 'uvu';
import * as assert from 'uvu/assert';
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
