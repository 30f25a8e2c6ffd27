/**
 * `artifacts provision`: creates what the pipeline needs in the configured environment, and
 * says what it created or found — idempotent, safe to run on every deploy:
 *
 * - the bus's topics (BUS=sqs: queues with their `-dlq` and the redrive policy; BUS=kafka:
 *   topics and `.dlq` topics) through Bus.ensureTopic;
 * - the ARTIFACTS_BUCKET (S3, or the folder in local mode), and on S3 its lifecycle rules: one
 *   aborts multipart uploads still unfinished a day after they began (as terraform/s3.tf), one
 *   expires stored requests under `requests/` after 14 days (claim-check.ts: what a crashed
 *   job leaves there is never kept forever);
 * - with S3: the `artifacts-s3-notifications` queue (always SQS — S3 cannot notify Kafka),
 *   its policy letting S3 send, and the bucket notification for each prefix INGEST_RULES watch
 *   (`inbox/` and `reports/` by default).
 *
 * Configured like the services (docs/configuration.md); it talks to the servers, not the API.
 */
import type { Config, Logger } from '@artifact-pipeline/shared';
import type { CommandSpec, ParsedArgs } from './cli-args.js';
import { ExitCode, printJson, printLine, type CliIo } from './cli-io.js';

export const provisionSpec: CommandSpec = {
  name: 'provision',
  usage: 'artifacts provision [--json]',
  summary:
    'Creates the queues/topics (with dead-letter queues), the artifacts bucket (with the lifecycle rule\n' +
    'that aborts incomplete multipart uploads after a day) and its notifications for\n' +
    'the prefixes INGEST_RULES watch (inbox/ and reports/ by default)\n' +
    'for the environment given by BUS, AWS_ENDPOINT_URL, KAFKA_BROKERS, ARTIFACTS_BUCKET. Idempotent.',
  positionals: [0, 0],
  options: {},
};

/**
 * The key prefixes of the artifacts bucket that INGEST_RULES watch: each rule's pattern up to
 * its first `{…}` segment (default rules: `inbox/` and `reports/`), for rules on that bucket.
 * S3 refuses overlapping prefix filters for one event type, so a prefix inside another is
 * dropped; a rule whose pattern starts with a segment watches the whole bucket ('').
 */
export function notificationPrefixes(config: Pick<Config, 'ingest' | 's3'>): string[] {
  const prefixes = config.ingest.rules
    .filter((rule) => rule.bucket === undefined || rule.bucket === config.s3.artifactsBucket)
    .map((rule) => rule.pattern.split('{', 1)[0]!);
  const unique = [...new Set(prefixes)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of unique) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept.sort();
}

interface Step { what: string; name: string; outcome: 'created' | 'found' | 'ensured' }

export async function runProvision(args: ParsedArgs, io: CliIo): Promise<number> {
  // loaded here: the kernel's index (config, adapters) is only needed by this command
  const { Topic, createAdapters, createLogger, loadConfig, usesLocalStorage } = await import('@artifact-pipeline/shared');
  const busTopics = [Topic.zipCommands, Topic.reportCommands, Topic.events, Topic.inbound];
  // provisioning needs no token settings; only the AUTH_MODE check would stop it
  const config = loadConfig({ ...io.env, AUTH_MODE: io.env.AUTH_MODE || 'none', LOG_LEVEL: io.env.LOG_LEVEL || 'warn' });
  const logger = createLogger({ service: 'provision', level: config.log.level });
  const adapters = await createAdapters(config, { logger, service: 'provision' });
  const steps: Step[] = [];
  const step = (s: Step): void => {
    steps.push(s);
    if (!args.json) printLine(io, `${s.outcome.padEnd(8)} ${s.what} ${s.name}`);
  };
  try {
    for (const topic of busTopics) {
      await adapters.bus.ensureTopic(topic);
      step({ what: `${config.bus.kind} topic`, name: `${topic} (+ dead letters)`, outcome: 'ensured' });
    }
    await adapters.objects.ensureBucket(config.s3.artifactsBucket);
    step({ what: usesLocalStorage(config) ? 'folder bucket' : 's3 bucket', name: config.s3.artifactsBucket, outcome: 'ensured' });
    if (!usesLocalStorage(config)) {
      await provisionLifecycle(config, step);
      await provisionRequestExpiry(config, step);
    }
    if (!usesLocalStorage(config) && config.s3.notificationsQueue !== undefined) {
      await provisionNotifications(config, config.s3.notificationsQueue, step, logger);
    }
  } finally {
    await adapters.close();
  }
  if (args.json) printJson(io, { steps });
  return ExitCode.ok;
}

/** The rule terraform/s3.tf sets too: parts of uploads unfinished after a day are aborted. */
async function provisionLifecycle(config: Config, step: (s: Step) => void): Promise<void> {
  const { ensureAbortIncompleteUploadsRule } = await import('@artifact-pipeline/shared/adapters/s3-lifecycle-setup');
  const result = await ensureAbortIncompleteUploadsRule({
    region: config.aws.region,
    ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
    forcePathStyle: config.s3.forcePathStyle,
    bucket: config.s3.artifactsBucket,
    days: 1,
  });
  step({ what: 'bucket lifecycle rule', name: `s3://${config.s3.artifactsBucket} abort incomplete multipart uploads after 1 day`, outcome: result.outcome });
}

/** The safety net of the claim check (terraform/s3.tf too): stored requests expire. */
async function provisionRequestExpiry(config: Config, step: (s: Step) => void): Promise<void> {
  const { ensureExpiryRule } = await import('@artifact-pipeline/shared/adapters/s3-lifecycle-setup');
  const { REQUEST_EXPIRY_DAYS, REQUEST_PREFIX } = await import('@artifact-pipeline/shared/claim-check');
  const outcome = await ensureExpiryRule({
    region: config.aws.region,
    ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
    forcePathStyle: config.s3.forcePathStyle,
    bucket: config.s3.artifactsBucket,
    prefix: REQUEST_PREFIX,
    days: REQUEST_EXPIRY_DAYS,
  });
  step({ what: 'lifecycle rule', name: `s3://${config.s3.artifactsBucket}/${REQUEST_PREFIX} expires after ${REQUEST_EXPIRY_DAYS} days`, outcome });
}

async function provisionNotifications(config: Config, queueName: string, step: (s: Step) => void, logger: Logger): Promise<void> {
  const connection = { region: config.aws.region, ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}) };
  const { createSqsBus } = await import('@artifact-pipeline/shared/adapters/sqs-bus');
  const { queueNameFor } = await import('@artifact-pipeline/shared/adapters/sqs-queues');
  // named as ingest's consumer reads it: Bus.consumeRaw(queue) on an SQS bus with QUEUE_NAME_PREFIX
  const prefix = config.bus.queueNamePrefix;
  const sqs = createSqsBus({ ...connection, queueNamePrefix: prefix, maxAttempts: config.worker.maxAttempts, logger });
  try {
    await sqs.ensureTopic(queueName);
  } finally {
    await sqs.close();
  }
  step({ what: 'sqs queue', name: `${queueNameFor(prefix, queueName)} (+ -dlq)`, outcome: 'ensured' });
  const { ensureBucketNotification } = await import('@artifact-pipeline/shared/adapters/s3-notification-setup');
  for (const keyPrefix of notificationPrefixes(config)) {
    const result = await ensureBucketNotification({
      ...connection,
      forcePathStyle: config.s3.forcePathStyle,
      bucket: config.s3.artifactsBucket,
      queueName: queueNameFor(prefix, queueName),
      prefix: keyPrefix,
    });
    step({ what: 'bucket notification', name: `s3://${config.s3.artifactsBucket}/${keyPrefix} → ${result.queueArn}`, outcome: result.outcome });
  }
}
