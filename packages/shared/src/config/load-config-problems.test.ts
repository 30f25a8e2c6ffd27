import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from './load-config.js';
import { minimalEnv as minimal, problemsOf } from './config-test-support.js';

const load = suite('loadConfig problems');

load('reports every invalid value at once, one line each, naming the variable', () => {
  const problems = problemsOf({
    BUS: 'rabbitmq',
    PORT: '80a',
    MAX_ATTEMPTS: '0',
    WORKER_CONCURRENCY: '65',
    DOWNLOAD_URL_TTL_SECONDS: '604801',
    S3_FORCE_PATH_STYLE: 'maybe',
    LOG_LEVEL: 'verbose',
    REDIS_URL: 'http://127.0.0.1:6390',
    AWS_ENDPOINT_URL: 'localhost:5055',
    ARTIFACTS_BUCKET: 'My_Bucket',
    UPLOADS_BUCKET: 'Up',
    SQS_QUEUE_URL_BASE: 'sqs.example',
    AUTH_JWT_SECRET: 'short-secret',
    HTTP_KEEP_ALIVE_SECONDS: '300',
  });
  assert.equal(problems, [
    'PORT: expected a whole number from 0 to 65535 (got "80a")',
    'BUS: expected one of memory, sqs, kafka (got "rabbitmq")',
    'AUTH_JWT_SECRET: must be at least 32 characters (got 12 characters)',
    'SQS_QUEUE_URL_BASE: expected a https or http URL (got "sqs.example")',
    'REDIS_URL: expected a redis or rediss URL (got "http://127.0.0.1:6390")',
    'AWS_ENDPOINT_URL: expected a https or http URL (got "localhost:5055")',
    'S3_FORCE_PATH_STYLE: expected true or false (got "maybe")',
    'ARTIFACTS_BUCKET: expected S3 bucket name (3-63 lower-case letters, digits, . and -) (got "My_Bucket")',
    'UPLOADS_BUCKET: expected S3 bucket name (3-63 lower-case letters, digits, . and -) (got "Up")',
    'DOWNLOAD_URL_TTL_SECONDS: expected a whole number from 1 to 604800 (got "604801")',
    'HTTP_KEEP_ALIVE_SECONDS: expected a whole number from 1 to 290 (got "300")',
    'LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    'MAX_ATTEMPTS: expected a whole number from 1 to 100 (got "0")',
    'WORKER_CONCURRENCY: expected a whole number from 1 to 64 (got "65")',
  ]);
});

load('AUTH_MAX_TOKEN_LIFETIME_SECONDS must be a whole number of seconds from 1 h to a year', () => {
  for (const value of ['3599', '31536001', '1d', '-5']) {
    assert.equal(problemsOf({ ...minimal, AUTH_MAX_TOKEN_LIFETIME_SECONDS: value }), [
      `AUTH_MAX_TOKEN_LIFETIME_SECONDS: expected a whole number from 3600 to 31536000 (got "${value}")`,
    ]);
  }
  assert.is(loadConfig({ ...minimal, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '7200' }).auth.maxTokenLifetimeSeconds, 7200);
});

load('the message of the error carries the problems too', () => {
  try {
    loadConfig({ PORT: '-1', ...minimal });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /invalid configuration: 1 problem\(s\): PORT: expected a whole number/);
  }
});

load('cross-variable rules: Kafka brokers, JWT secret or JWKS, webhook secret', () => {
  assert.equal(problemsOf({ BUS: 'kafka' }), [
    'KAFKA_BROKERS: required when BUS=kafka (comma-separated host:port)',
    'AUTH_JWT_SECRET: required when AUTH_MODE=jwt, unless AUTH_JWKS_URL is set (or set AUTH_MODE=none for local use)',
  ]);
  assert.equal(problemsOf({ ...minimal, KAFKA_BROKERS: 'localhost,127.0.0.1:9092' }), [
    'KAFKA_BROKERS: expected host:port entries: "localhost" (got "localhost,127.0.0.1:9092")',
  ]);
  assert.equal(problemsOf({ ...minimal, WEBHOOK_URL: 'https://hooks.example.com' }), [
    'WEBHOOK_SECRET: required when WEBHOOK_URL is set (webhooks are signed)',
  ]);
  assert.is(loadConfig({ AUTH_JWKS_URL: 'https://id.example.com/jwks' }).auth.jwksUrl, 'https://id.example.com/jwks');
  assert.is(loadConfig({ AUTH_MODE: 'none' }).auth.mode, 'none');
});

load('secrets never appear in problem lines', () => {
  const problems = problemsOf({ AUTH_JWT_SECRET: 'hunter2-hunter2', WEBHOOK_SECRET: 'tiny', WEBHOOK_URL: 'https://h.example.com' });
  assert.not.ok(problems.join('\n').includes('hunter2'));
  assert.not.ok(problems.join('\n').includes('tiny'));
  assert.ok(problems.includes('WEBHOOK_SECRET: must be at least 16 characters (got 4 characters)'));
});

load('AUTH_USERS_FILE must exist', () => {
  assert.equal(problemsOf({ ...minimal, AUTH_USERS_FILE: '/nonexistent/users.json' }), [
    'AUTH_USERS_FILE: no such file (got "/nonexistent/users.json")',
  ]);
  assert.is(loadConfig({ ...minimal, AUTH_USERS_FILE: import.meta.filename }).auth.usersFile, import.meta.filename);
});

load.run();
