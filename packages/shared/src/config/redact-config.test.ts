import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from './load-config.js';
import { redactConfig } from './redact-config.js';

const redact = suite('redactConfig');

redact('is a function', () => {
  assert.type(redactConfig, 'function');
});

redact('hides secrets and URL passwords, keeps everything else', () => {
  const config = loadConfig({
    AUTH_JWT_SECRET: 'jwt-secret-'.padEnd(40, 'x'),
    WEBHOOK_URL: 'https://hooks.example.com',
    WEBHOOK_SECRET: 'webhook-secret-123',
    REDIS_URL: 'redis://:p4ssw0rd@cache.internal:6379/0',
  });
  const shown = JSON.stringify(redactConfig(config));
  for (const secret of ['jwt-secret-', 'webhook-secret-123', 'p4ssw0rd']) assert.not.ok(shown.includes(secret), secret);
  assert.ok(shown.includes('cache.internal:6379'));
  assert.ok(shown.includes('"artifactsBucket":"artifacts"'));
});

redact.run();
