import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createUserDirectory, hashPassword, parseScryptHash } from './auth-users.js';
import { createMemoryLoginAttempts } from './auth-login-attempts.js';

const FAST = { N: 1024, r: 8, p: 1 };

const users = suite('createUserDirectory');
users('authenticates the right password only', async () => {
  const hash = parseScryptHash(await hashPassword('s3cret', FAST));
  const dir = createUserDirectory([{ username: 'ada', scopes: ['admin'], hash }]);
  assert.is((await dir.authenticate('ada', 's3cret'))?.username, 'ada');
  assert.is(await dir.authenticate('ada', 'wrong'), undefined);
  assert.is(await dir.authenticate('bob', 's3cret'), undefined);
});
users('refuses hashes not in the scrypt$N$r$p$salt$hash form', () => {
  assert.throws(() => parseScryptHash('bcrypt$2b$10$x'), /scrypt\$N/);
  assert.throws(() => parseScryptHash('scrypt$1000$8$1$c2FsdA$a2V5'), /power of two/);
});
users.run();

const attempts = suite('createMemoryLoginAttempts');
attempts('blocks a name after the allowed failures until the window ends', async () => {
  let now = 0;
  const a = createMemoryLoginAttempts({ maxFailures: 2, windowSeconds: 60, now: () => now });
  await a.recordFailure('ada');
  assert.is(await a.blockedFor('ada'), 0);
  await a.recordFailure('ada');
  assert.is(await a.blockedFor('ada'), 60);
  assert.is(await a.blockedFor('bob'), 0);
  now = 61_000;
  assert.is(await a.blockedFor('ada'), 0);
});
attempts('reset clears the count', async () => {
  const a = createMemoryLoginAttempts({ maxFailures: 1 });
  await a.recordFailure('ada');
  await a.reset('ada');
  assert.is(await a.blockedFor('ada'), 0);
});
attempts.run();
