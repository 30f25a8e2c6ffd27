/**
 * `node services/status/dist/rebuild.js --from kafka|journal` (npm: `npm run rebuild -w
 * @artifact-pipeline/status -- --from kafka`): rebuilds the read model into the empty Redis
 * at REDIS_URL from the Kafka topics or the S3 journal in ARTIFACTS_BUCKET. Configured by
 * the environment like the service. Prints one JSON line with the counts; exits 1 on error.
 */
import { createAdapters, createLogger, loadConfigOrExit } from '@artifact-pipeline/shared';
import { replayKafkaTopic } from '@artifact-pipeline/shared/adapters/kafka-topic-replay';
import { rebuildFromJournal, rebuildFromKafka, requireEmpty } from './rebuild-read-model.js';

const from = process.argv[process.argv.indexOf('--from') + 1];
if (!process.argv.includes('--from') || (from !== 'kafka' && from !== 'journal')) {
  process.stderr.write('usage: rebuild --from kafka|journal   (REDIS_URL names the empty target)\n');
  process.exit(2);
}
const config = loadConfigOrExit(process.env, 'status-rebuild');
const logger = createLogger({ service: 'status-rebuild', level: config.log.level });
const adapters = await createAdapters({ ...config, bus: { ...config.bus, kind: 'memory' } }, { logger, service: 'status-rebuild' });
const { jobs } = adapters;
try {
  await requireEmpty(jobs);
  const counts = from === 'kafka'
    ? await rebuildFromKafka({ jobs, logger }, (topic, onEvent) =>
        replayKafkaTopic({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-rebuild`, topicPrefix: config.bus.topicPrefix, logger }, topic, onEvent,
          (reason, offset, partition) => logger.warn({ topic, partition, offset, reason }, 'invalid record skipped')))
    : await rebuildFromJournal({ jobs, logger }, adapters.objects, config.s3.artifactsBucket, config.journal.prefix);
  process.stdout.write(`${JSON.stringify({ from, ...counts })}\n`);
} catch (err) {
  logger.error({ err }, 'rebuild failed');
  process.exitCode = 1;
} finally {
  await adapters.close();
}
