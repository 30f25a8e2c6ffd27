import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CREDENTIAL_MARGIN_SECONDS, presignLifetimeSeconds } from './presign-lifetime.js';

const lifetime = suite('presignLifetimeSeconds');
const now = new Date('2026-01-01T00:00:00Z');

lifetime('is a function', () => assert.type(presignLifetimeSeconds, 'function'));

lifetime('long-lived keys: the requested lifetime', () => {
  assert.is(presignLifetimeSeconds(86_400, undefined, now), 86_400);
});

lifetime('a 1 h session caps a 24 h request at the session end, less the margin', () => {
  const expires = new Date(now.getTime() + 3_600_000);
  assert.is(presignLifetimeSeconds(86_400, expires, now), 3_600 - CREDENTIAL_MARGIN_SECONDS);
});

lifetime('a request shorter than the session is kept', () => {
  assert.is(presignLifetimeSeconds(600, new Date(now.getTime() + 3_600_000), now), 600);
});

lifetime('expired or expiring credentials still give a positive lifetime (S3 refuses 0)', () => {
  assert.is(presignLifetimeSeconds(600, new Date(now.getTime() - 1000), now), 1);
});

lifetime.run();
