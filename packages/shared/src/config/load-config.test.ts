import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError, type PipelineError } from '../errors.js';
import { loadConfig, loadConfigOrExit } from './load-config.js';
import { DEFAULT_INGEST_RULES } from './ingest-rules.js';

/** The least a valid environment needs: AUTH_MODE=jwt (the default) wants a secret. */
const SECRET = 's'.repeat(32);
const minimal = { AUTH_JWT_SECRET: SECRET };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(isPipelineError(err));
    assert.is((err as PipelineError).code, ErrorCode.INVALID_CONFIG);
    assert.is((err as PipelineError).retriable, false);
    return (err as PipelineError).context.problems as string[];
  }
  return assert.unreachable('expected INVALID_CONFIG') as never;
}

const load = suite('loadConfig');

load('is a function', () => {
  assert.type(loadConfig, 'function');
});

load('defaults: local mode on the memory bus and store', () => {
  const config = loadConfig(minimal);
  assert.equal(config.bus, { kind: 'memory', queueNamePrefix: '', topicPrefix: '' });
  assert.equal(config.kafka, { brokers: [], clientId: 'artifact-pipeline' });
  assert.is(config.redis.url, undefined);
  assert.equal(config.aws, { region: 'us-east-1', endpoint: undefined });
  assert.equal(config.s3, {
    forcePathStyle: false,
    artifactsBucket: 'artifacts',
    downloadUrlTtlSeconds: 86_400,
    allowedSourceBuckets: [],
    notificationsQueue: 'artifacts-s3-notifications',
  });
  assert.equal(config.http, { port: 8080, publicBaseUrl: 'http://localhost:8080' });
  assert.equal(config.auth, { mode: 'jwt', jwtSecret: SECRET, jwksUrl: undefined, usersFile: undefined });
  assert.equal(config.ingest.rules, DEFAULT_INGEST_RULES);
  assert.equal(config.webhook, { url: undefined, secret: undefined });
  assert.is(config.log.level, 'info');
  assert.equal(config.worker, { maxAttempts: 5, concurrency: 1 });
  assert.is(config.shutdown.graceSeconds, 60);
  assert.is(config.jobs.retentionDays, 30);
  assert.is(config.local.dataDir, './data');
});

load('reads every variable', () => {
  const config = loadConfig({
    BUS: 'kafka',
    KAFKA_BROKERS: '127.0.0.1:9092, kafka-1.internal:9093',
    KAFKA_CLIENT_ID: 'zipper',
    REDIS_URL: 'redis://127.0.0.1:6390/2',
    AWS_REGION: 'eu-central-1',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:5055',
    S3_FORCE_PATH_STYLE: 'true',
    ARTIFACTS_BUCKET: 'my-artifacts',
    DOWNLOAD_URL_TTL_SECONDS: '604800',
    PORT: '9090',
    AUTH_MODE: 'none',
    AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
    INGEST_RULES: '[{"pattern":"drop/{owner}/{name}.jsonl","action":"report","format":"pdf","name":"{name}.pdf","bucket":"drops"}]',
    ALLOWED_SOURCE_BUCKETS: 'uploads,drops',
    WEBHOOK_URL: 'https://hooks.example.com/x',
    WEBHOOK_SECRET: 'w'.repeat(16),
    LOG_LEVEL: 'DEBUG',
    MAX_ATTEMPTS: '3',
    WORKER_CONCURRENCY: '8',
    SHUTDOWN_GRACE_SECONDS: '20',
    JOB_RETENTION_DAYS: '7',
    QUEUE_NAME_PREFIX: 'test-abc-',
    TOPIC_PREFIX: 'test.abc.',
    LOCAL_DATA_DIR: '/var/lib/artifacts',
    PUBLIC_BASE_URL: 'https://artifacts.example.com/',
    S3_NOTIFICATIONS_QUEUE: 'custom-notifications',
  });
  assert.equal(config.bus, { kind: 'kafka', queueNamePrefix: 'test-abc-', topicPrefix: 'test.abc.' });
  assert.equal(config.kafka, { brokers: ['127.0.0.1:9092', 'kafka-1.internal:9093'], clientId: 'zipper' });
  assert.is(config.redis.url, 'redis://127.0.0.1:6390/2');
  assert.equal(config.aws, { region: 'eu-central-1', endpoint: 'http://127.0.0.1:5055' });
  assert.is(config.s3.forcePathStyle, true);
  assert.is(config.s3.artifactsBucket, 'my-artifacts');
  assert.is(config.s3.downloadUrlTtlSeconds, 604_800);
  assert.equal(config.s3.allowedSourceBuckets, ['uploads', 'drops']);
  assert.is(config.s3.notificationsQueue, 'custom-notifications');
  assert.equal(config.http, { port: 9090, publicBaseUrl: 'https://artifacts.example.com' });
  assert.is(config.auth.mode, 'none');
  assert.is(config.auth.jwksUrl, 'https://id.example.com/.well-known/jwks.json');
  assert.equal(config.ingest.rules, [
    { pattern: 'drop/{owner}/{name}.jsonl', action: 'report', format: 'pdf', name: '{name}.pdf', bucket: 'drops' },
  ]);
  assert.equal(config.webhook, { url: 'https://hooks.example.com/x', secret: 'w'.repeat(16) });
  assert.is(config.log.level, 'debug');
  assert.equal(config.worker, { maxAttempts: 3, concurrency: 8 });
  assert.is(config.shutdown.graceSeconds, 20);
  assert.is(config.jobs.retentionDays, 7);
  assert.is(config.local.dataDir, '/var/lib/artifacts');
});

load('an empty S3_NOTIFICATIONS_QUEUE disables notifications; other empty values mean unset', () => {
  const config = loadConfig({ ...minimal, S3_NOTIFICATIONS_QUEUE: '', PORT: '', REDIS_URL: '' });
  assert.is(config.s3.notificationsQueue, undefined);
  assert.is(config.http.port, 8080);
  assert.is(config.redis.url, undefined);
});

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
    AUTH_JWT_SECRET: 'short-secret',
  });
  assert.equal(problems, [
    'PORT: expected a whole number from 0 to 65535 (got "80a")',
    'BUS: expected one of memory, sqs, kafka (got "rabbitmq")',
    'AUTH_JWT_SECRET: must be at least 32 characters (got 12 characters)',
    'REDIS_URL: expected a redis or rediss URL (got "http://127.0.0.1:6390")',
    'AWS_ENDPOINT_URL: expected a https or http URL (got "localhost:5055")',
    'S3_FORCE_PATH_STYLE: expected true or false (got "maybe")',
    'ARTIFACTS_BUCKET: expected S3 bucket name (3-63 lower-case letters, digits, . and -) (got "My_Bucket")',
    'DOWNLOAD_URL_TTL_SECONDS: expected a whole number from 1 to 604800 (got "604801")',
    'LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    'MAX_ATTEMPTS: expected a whole number from 1 to 100 (got "0")',
    'WORKER_CONCURRENCY: expected a whole number from 1 to 64 (got "65")',
  ]);
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

load('ingest rules: problems name the rule index', () => {
  const rules = JSON.stringify([
    { pattern: 'inbox/{owner}/{batch}/_READY', action: 'zip', name: '{batch}.zip' },
    { pattern: 'reports/{owner}/{name}.csv', action: 'report', format: 'docx', name: '{name}.xlsx', colour: 'red' },
    { pattern: 'drop/{name}', action: 'zip', source: 'drop/{dir}/', name: '{name}.zip', bucket: 'Bad_Bucket' },
    'not a rule',
    { pattern: 'x/{owner}', action: 'copy' },
  ]);
  assert.equal(problemsOf({ ...minimal, INGEST_RULES: rules }), [
    'INGEST_RULES[0].source: expected a non-empty string',
    'INGEST_RULES[1].colour: not a field of a report rule',
    'INGEST_RULES[1].format: expected "xlsx" or "pdf" for a report rule (got "docx")',
    'INGEST_RULES[2].pattern: must name the {owner} segment (every job has an owner)',
    'INGEST_RULES[2].source: {dir} is not a segment of the pattern',
    'INGEST_RULES[2].bucket: expected an S3 bucket name (got "Bad_Bucket")',
    'INGEST_RULES[3]: expected an object',
    'INGEST_RULES[4].action: expected "zip" or "report" (got "copy")',
  ]);
  assert.match(problemsOf({ ...minimal, INGEST_RULES: '[{' })[0] ?? '', /^INGEST_RULES: not JSON \(/);
  assert.equal(problemsOf({ ...minimal, INGEST_RULES: '{}' }), ['INGEST_RULES: expected a JSON array of rules']);
  assert.equal(loadConfig({ ...minimal, INGEST_RULES: '[]' }).ingest.rules, []);
});

load('the result is deeply frozen', () => {
  const config = loadConfig(minimal);
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.s3));
  assert.ok(Object.isFrozen(config.ingest.rules));
  assert.ok(Object.isFrozen(config.ingest.rules[0]));
  assert.throws(() => {
    (config.http as { port: number }).port = 1;
  }, TypeError);
  // Loading again gives fresh defaults: the frozen rules are copies, not the shared constant.
  assert.not.ok(Object.isFrozen(DEFAULT_INGEST_RULES[0]));
});

load.run();

const orExit = suite('loadConfigOrExit');

orExit('returns the config when the environment is valid', () => {
  const config = loadConfigOrExit(minimal, 'zipper', {
    write: () => assert.unreachable('nothing written'),
    exit: () => assert.unreachable('no exit') as never,
  });
  assert.is(config.http.port, 8080);
});

orExit('prints one line per problem to stderr and exits 1', () => {
  const lines: string[] = [];
  let code: number | undefined;
  const io = {
    write: (line: string) => void lines.push(line),
    exit: (c: number): never => {
      code = c;
      throw new Error('exited');
    },
  };
  assert.throws(() => loadConfigOrExit({ PORT: 'x', MAX_ATTEMPTS: '1000', AUTH_MODE: 'none' }, 'ingest', io), /exited/);
  assert.is(code, 1);
  assert.equal(lines, [
    'ingest: configuration: PORT: expected a whole number from 0 to 65535 (got "x")\n',
    'ingest: configuration: MAX_ATTEMPTS: expected a whole number from 1 to 100 (got "1000")\n',
  ]);
});

orExit.run();
