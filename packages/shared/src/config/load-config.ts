/**
 * Reads and validates the environment once at start-up (DESIGN §8, STYLE "Config"):
 * every problem is collected and reported together, one line per problem naming the
 * variable; the result is deeply frozen. OTEL_* variables are left to the OpenTelemetry
 * SDK, which reads them itself.
 */
import { existsSync } from 'node:fs';
import { ErrorCode, PipelineError, isPipelineError } from '../errors.js';
import type { AuthMode, BusKind, Config, LogLevel } from './config-types.js';
import { deepFreeze } from './deep-freeze.js';
import { createEnvReader, showValue, type Env } from './env-reader.js';
import { BUCKET_NAME, parseIngestRules } from './ingest-rules.js';
import { internalPrefixProblems, parseSourceGrants } from './source-grants.js';

const BUS_KINDS: readonly BusKind[] = ['memory', 'sqs', 'kafka'];
const AUTH_MODES: readonly AuthMode[] = ['jwt', 'none'];
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
/** HS256 keys shorter than the 256-bit hash are brute-forceable (RFC 7518 §3.2). */
const MIN_JWT_SECRET = 32;
const MIN_WEBHOOK_SECRET = 16;
const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** SQS queue names: letters, digits, - and _, at most 80 (the suffix -dlq needs 4). */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,76}$/;
const BUCKET_RULE = 'expected S3 bucket names (3-63 lower-case letters, digits, . and -)';
const QUEUE_PREFIX = { pattern: /^[A-Za-z0-9_-]{1,40}$/, rule: 'expected at most 40 letters, digits, - or _' };
/** The transports' own message limits (docs/configuration.md BUS_MAX_MESSAGE_BYTES). */
const DEFAULT_MAX_MESSAGE_BYTES = { sqs: 262_144, kafka: 1_048_588, memory: 262_144 } as const;
const TOPIC_PREFIX = { pattern: /^[A-Za-z0-9._-]{1,100}$/, rule: 'expected at most 100 letters, digits, ., - or _' };
/** The same rule as Terraform's journal_prefix variable: the IAM grant is `<prefix>*`. */
const JOURNAL_PREFIX = { pattern: /^journal\/(?:[a-z0-9][a-z0-9/_-]{0,190}\/)?$/, rule: 'expected journal/ or a prefix inside it (lower-case letters, digits, /, _ or -, ending with /)' };
const CLIENT_ID = { pattern: /^[A-Za-z0-9._-]{1,100}$/, rule: 'expected letters, digits, ., - or _' };

/** The services that answer the public API and so verify tokens; the workers take none. */
const TOKEN_VERIFIERS = new Set(['ingest', 'status']);

export interface LoadConfigOptions {
  /**
   * Whether AUTH_MODE=jwt must come with a key (AUTH_JWT_SECRET or AUTH_JWKS_URL). Default
   * true; false for the workers, which verify no tokens and are not given the auth variables.
   */
  requireAuthKey?: boolean;
}

export function loadConfig(env: Env, { requireAuthKey = true }: LoadConfigOptions = {}): Config {
  const read = createEnvReader(env);

  const port = read.integer('PORT', { default: 8080, min: 0, max: 65535 });
  const busKind = read.oneOf('BUS', BUS_KINDS, 'memory');
  const brokers = read.list('KAFKA_BROKERS', { pattern: BROKER, rule: 'expected host:port entries' });
  if (busKind === 'kafka' && read.raw('KAFKA_BROKERS') === undefined) {
    read.problem('KAFKA_BROKERS', 'required when BUS=kafka (comma-separated host:port)');
  }

  const authMode = read.oneOf('AUTH_MODE', AUTH_MODES, 'jwt');
  const jwtSecret = read.raw('AUTH_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < MIN_JWT_SECRET) {
    read.problem('AUTH_JWT_SECRET', `must be at least ${MIN_JWT_SECRET} characters`, showValue(jwtSecret, true));
  }
  const jwksUrl = read.url('AUTH_JWKS_URL', ['https', 'http']);
  if (requireAuthKey && authMode === 'jwt' && jwtSecret === undefined && read.raw('AUTH_JWKS_URL') === undefined) {
    read.problem(
      'AUTH_JWT_SECRET',
      'required when AUTH_MODE=jwt, unless AUTH_JWKS_URL is set (or set AUTH_MODE=none for local use)',
    );
  }
  const usersFile = read.raw('AUTH_USERS_FILE');
  if (usersFile !== undefined && !existsSync(usersFile)) {
    read.problem('AUTH_USERS_FILE', 'no such file', showValue(usersFile));
  }

  const webhookUrl = read.url('WEBHOOK_URL', ['https', 'http']);
  const webhookSecret = read.raw('WEBHOOK_SECRET');
  if (webhookSecret !== undefined && webhookSecret.length < MIN_WEBHOOK_SECRET) {
    read.problem('WEBHOOK_SECRET', `must be at least ${MIN_WEBHOOK_SECRET} characters`, showValue(webhookSecret, true));
  }
  if (read.raw('WEBHOOK_URL') !== undefined && webhookSecret === undefined) {
    read.problem('WEBHOOK_SECRET', 'required when WEBHOOK_URL is set (webhooks are signed)');
  }

  const rules = parseIngestRules(read.raw('INGEST_RULES'));
  read.problems.push(...rules.problems);

  // '' disables S3 notifications, so this one variable keeps an empty value.
  const queueSetting = read.raw('S3_NOTIFICATIONS_QUEUE', true);
  const notificationsQueue = queueSetting === undefined ? 'artifacts-s3-notifications' : queueSetting || undefined;
  if (notificationsQueue !== undefined && !QUEUE_NAME.test(notificationsQueue)) {
    const rule = 'expected an SQS queue name (letters, digits, - and _), or empty to disable';
    read.problem('S3_NOTIFICATIONS_QUEUE', rule, showValue(notificationsQueue));
  }

  const publicBaseUrl = read.url('PUBLIC_BASE_URL', ['https', 'http']) ?? `http://localhost:${port}`;

  const config: Config = {
    bus: {
      kind: busKind,
      queueNamePrefix: read.string('QUEUE_NAME_PREFIX', QUEUE_PREFIX) ?? '',
      topicPrefix: read.string('TOPIC_PREFIX', TOPIC_PREFIX) ?? '',
      queueUrlBase: read.url('SQS_QUEUE_URL_BASE', ['https', 'http'])?.replace(/\/+$/, ''),
      maxMessageBytes: read.integer('BUS_MAX_MESSAGE_BYTES', {
        default: DEFAULT_MAX_MESSAGE_BYTES[busKind],
        min: 65_536,
        max: busKind === 'sqs' ? 1_048_576 : 104_857_600,
      }),
    },
    kafka: {
      brokers,
      clientId: read.string('KAFKA_CLIENT_ID', CLIENT_ID) ?? 'artifact-pipeline',
    },
    redis: { url: read.url('REDIS_URL', ['redis', 'rediss']) },
    aws: {
      region: read.string('AWS_REGION', { pattern: REGION, rule: 'expected an AWS region such as us-east-1' }) ?? 'us-east-1',
      endpoint: read.url('AWS_ENDPOINT_URL', ['https', 'http']),
    },
    s3: {
      forcePathStyle: read.boolean('S3_FORCE_PATH_STYLE', false),
      ...readBuckets(read),
      downloadUrlTtlSeconds: read.integer('DOWNLOAD_URL_TTL_SECONDS', { default: 86_400, min: 1, max: 604_800 }),
      allowedSourceBuckets: read.list('ALLOWED_SOURCE_BUCKETS', { pattern: BUCKET_NAME, rule: BUCKET_RULE }),
      notificationsQueue,
    },
    http: {
      port,
      publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
      keepAliveSeconds: read.integer('HTTP_KEEP_ALIVE_SECONDS', { default: 65, min: 1, max: 290 }),
      shutdownDelaySeconds: read.integer('SHUTDOWN_DELAY_SECONDS', { default: 0, min: 0, max: 300 }),
    },
    auth: {
      mode: authMode,
      jwtSecret,
      jwksUrl,
      usersFile,
      // At least the 1 h POST /v1/auth/token issues (DEFAULT_TOKEN_TTL_SECONDS), so its tokens always pass.
      maxTokenLifetimeSeconds: read.integer('AUTH_MAX_TOKEN_LIFETIME_SECONDS', { default: 86_400, min: 3_600, max: 31_536_000 }),
    },
    ingest: { rules: rules.rules },
    sources: { grants: [] },
    webhook: {
      url: webhookUrl,
      secret: webhookSecret,
      allowPrivate: read.boolean('WEBHOOK_ALLOW_PRIVATE', false),
      allowHttp: read.boolean('WEBHOOK_ALLOW_HTTP', false),
    },
    log: { level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info') },
    worker: {
      maxAttempts: read.integer('MAX_ATTEMPTS', { default: 5, min: 1, max: 100 }),
      concurrency: read.integer('WORKER_CONCURRENCY', { default: 1, min: 1, max: 64 }),
    },
    shutdown: { graceSeconds: read.integer('SHUTDOWN_GRACE_SECONDS', { default: 60, min: 1, max: 3600 }) },
    journal: { prefix: read.string('JOURNAL_PREFIX', JOURNAL_PREFIX) ?? 'journal/' },
    jobs: { retentionDays: read.integer('JOB_RETENTION_DAYS', { default: 30, min: 1, max: 3650 }) },
    local: { dataDir: read.raw('LOCAL_DATA_DIR') ?? './data' },
  };

  // Both need the buckets, so they are checked once those are read.
  read.problems.push(...internalPrefixProblems(config.ingest.rules, config.s3.artifactsBucket));
  const grants = parseSourceGrants(read.raw('SOURCE_GRANTS'), { artifacts: config.s3.artifactsBucket, allowed: config.s3.allowedSourceBuckets });
  read.problems.push(...grants.problems);
  config.sources.grants = grants.grants;

  if (read.problems.length > 0) {
    throw new PipelineError(`invalid configuration: ${read.problems.length} problem(s): ${read.problems.join('; ')}`, {
      code: ErrorCode.INVALID_CONFIG,
      retriable: false,
      context: { problems: [...read.problems] },
    });
  }
  return deepFreeze(config);
}

/** ARTIFACTS_BUCKET, then UPLOADS_BUCKET (POST /v1/uploads presigns into its inbox/), which defaults to it. */
function readBuckets(read: ReturnType<typeof createEnvReader>): { artifactsBucket: string; uploadsBucket: string } {
  const bucket = { pattern: BUCKET_NAME, rule: BUCKET_RULE.replace('names', 'name') };
  const artifactsBucket = read.string('ARTIFACTS_BUCKET', bucket) ?? 'artifacts';
  return { artifactsBucket, uploadsBucket: read.string('UPLOADS_BUCKET', bucket) ?? artifactsBucket };
}

export interface ExitIo {
  write(line: string): void;
  exit(code: number): never;
}

const processIo: ExitIo = {
  write: (line) => process.stderr.write(line),
  exit: (code) => process.exit(code),
};

/**
 * For `main.ts`: the config, or one line per problem on stderr and exit code 1.
 * `io` is for tests.
 */
export function loadConfigOrExit(env: Env, service: string, io: ExitIo = processIo): Config {
  try {
    // Only the API services verify tokens (a worker or a CLI command may run without a key).
    return loadConfig(env, { requireAuthKey: TOKEN_VERIFIERS.has(service) });
  } catch (err) {
    if (!isPipelineError(err) || err.code !== ErrorCode.INVALID_CONFIG) throw err;
    const problems = (err.context.problems as string[] | undefined) ?? [err.message];
    for (const problem of problems) io.write(`${service}: configuration: ${problem}\n`);
    return io.exit(1);
  }
}
