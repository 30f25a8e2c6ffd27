import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, loadConfigOrExit } from './load-config.js';
import { DEFAULT_INGEST_RULES } from './ingest-rules.js';
import { minimalEnv as minimal, TEST_JWT_SECRET as SECRET } from './config-test-support.js';

const load = suite('loadConfig');

load('is a function', () => {
  assert.type(loadConfig, 'function');
});

load('defaults: local mode on the memory bus and store', () => {
  const config = loadConfig(minimal);
  assert.equal(config.bus, { kind: 'memory', queueNamePrefix: '', topicPrefix: '', queueUrlBase: undefined, maxMessageBytes: 262_144 });
  assert.equal(config.kafka, { brokers: [], clientId: 'artifact-pipeline' });
  assert.is(config.redis.url, undefined);
  assert.equal(config.aws, { region: 'us-east-1', endpoint: undefined });
  assert.equal(config.s3, {
    forcePathStyle: false,
    artifactsBucket: 'artifacts',
    uploadsBucket: 'artifacts',
    downloadUrlTtlSeconds: 86_400,
    allowedSourceBuckets: [],
    notificationsQueue: 'artifacts-s3-notifications',
  });
  assert.equal(config.http, { port: 8080, publicBaseUrl: 'http://localhost:8080', keepAliveSeconds: 65, shutdownDelaySeconds: 0 });
  assert.equal(config.auth, { mode: 'jwt', jwtSecret: SECRET, jwksUrl: undefined, usersFile: undefined, maxTokenLifetimeSeconds: 86_400 });
  assert.equal(config.ingest.rules, DEFAULT_INGEST_RULES);
  assert.equal(config.webhook, { url: undefined, secret: undefined, allowPrivate: false, allowHttp: false });
  assert.is(config.log.level, 'info');
  assert.equal(config.worker, { maxAttempts: 5, concurrency: 1 });
  assert.is(config.shutdown.graceSeconds, 60);
  assert.is(config.jobs.retentionDays, 30);
  assert.is(config.local.dataDir, './data');
});

load('BUS_MAX_MESSAGE_BYTES: derived from BUS, at most 1 MiB on SQS', () => {
  const auth = { AUTH_MODE: 'none' };
  assert.is(loadConfig({ ...auth, BUS: 'sqs' }).bus.maxMessageBytes, 262_144);
  assert.is(loadConfig({ ...auth, BUS: 'sqs', BUS_MAX_MESSAGE_BYTES: '1048576' }).bus.maxMessageBytes, 1_048_576);
  assert.is(loadConfig({ ...auth, BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' }).bus.maxMessageBytes, 1_048_588);
  assert.throws(() => loadConfig({ ...auth, BUS: 'sqs', BUS_MAX_MESSAGE_BYTES: '2000000' }), /BUS_MAX_MESSAGE_BYTES/);
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
    UPLOADS_BUCKET: 'my-uploads',
    SQS_QUEUE_URL_BASE: 'https://sqs.eu-central-1.amazonaws.com/123456789012/',
    DOWNLOAD_URL_TTL_SECONDS: '604800',
    PORT: '9090',
    HTTP_KEEP_ALIVE_SECONDS: '120',
    SHUTDOWN_DELAY_SECONDS: '15',
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
    BUS_MAX_MESSAGE_BYTES: '2000000',
  });
  assert.equal(config.bus, {
    kind: 'kafka', queueNamePrefix: 'test-abc-', topicPrefix: 'test.abc.', queueUrlBase: 'https://sqs.eu-central-1.amazonaws.com/123456789012', maxMessageBytes: 2_000_000,
  });
  assert.equal(config.kafka, { brokers: ['127.0.0.1:9092', 'kafka-1.internal:9093'], clientId: 'zipper' });
  assert.is(config.redis.url, 'redis://127.0.0.1:6390/2');
  assert.equal(config.aws, { region: 'eu-central-1', endpoint: 'http://127.0.0.1:5055' });
  assert.is(config.s3.forcePathStyle, true);
  assert.is(config.s3.artifactsBucket, 'my-artifacts');
  assert.is(config.s3.uploadsBucket, 'my-uploads');
  assert.is(config.s3.downloadUrlTtlSeconds, 604_800);
  assert.equal(config.s3.allowedSourceBuckets, ['uploads', 'drops']);
  assert.is(config.s3.notificationsQueue, 'custom-notifications');
  assert.equal(config.http, { port: 9090, publicBaseUrl: 'https://artifacts.example.com', keepAliveSeconds: 120, shutdownDelaySeconds: 15 });
  assert.is(config.auth.mode, 'none');
  assert.is(config.auth.jwksUrl, 'https://id.example.com/.well-known/jwks.json');
  assert.equal(config.ingest.rules, [
    { pattern: 'drop/{owner}/{name}.jsonl', action: 'report', format: 'pdf', name: '{name}.pdf', bucket: 'drops' },
  ]);
  assert.equal(config.webhook, { url: 'https://hooks.example.com/x', secret: 'w'.repeat(16), allowPrivate: false, allowHttp: false });
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

orExit('a worker starts without an auth key; ingest and status refuse to', () => {
  const refuse = { write: () => undefined, exit: (): never => { throw new Error('exited'); } };
  for (const service of ['zipper', 'reporter']) assert.is(loadConfigOrExit({}, service, refuse).auth.mode, 'jwt');
  for (const service of ['ingest', 'status']) assert.throws(() => loadConfigOrExit({}, service, refuse), /exited/);
});

orExit('SHUTDOWN_DELAY_SECONDS: 0 by default, 0..300, named when out of range', () => {
  assert.is(loadConfig(minimal).http.shutdownDelaySeconds, 0);
  assert.is(loadConfig({ ...minimal, SHUTDOWN_DELAY_SECONDS: '10' }).http.shutdownDelaySeconds, 10);
  assert.throws(() => loadConfig({ ...minimal, SHUTDOWN_DELAY_SECONDS: '301' }), /SHUTDOWN_DELAY_SECONDS/);
});

orExit('JOURNAL_PREFIX: journal/ by default; another prefix ending with /; a bad one named', () => {
  assert.is(loadConfig(minimal).journal.prefix, 'journal/');
  assert.is(loadConfig({ ...minimal, JOURNAL_PREFIX: 'journal/prod/' }).journal.prefix, 'journal/prod/');
  assert.throws(() => loadConfig({ ...minimal, JOURNAL_PREFIX: 'prod/journal/' }), /JOURNAL_PREFIX: expected journal\/ or a prefix inside it/);
  assert.throws(() => loadConfig({ ...minimal, JOURNAL_PREFIX: 'Journal' }), /JOURNAL_PREFIX: expected journal\/ or a prefix inside it/);
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
