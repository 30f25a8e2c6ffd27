/**
 * Where new objects come from in local mode: with the local folder store, the inbox folder
 * watcher (folder-watcher.ts) feeding ingest's acceptObject; with S3, ingest's consumer of
 * S3 event notifications on S3_NOTIFICATIONS_QUEUE — always an SQS queue (S3 cannot notify
 * Kafka), so with BUS=kafka a separate SQS bus reads it. `artifacts provision` creates the
 * queue and the bucket notification.
 */
import type { Adapters, Bus, Config, Logger, Subscription } from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createFolderWatcher } from './folder-watcher.js';
import type { ServiceModules } from './service-modules.js';

type AcceptDeps = Parameters<ServiceModules['acceptObject']>[0]['accept'];

export interface ObjectSources {
  /** For createIngestService's `consumers`. */
  consumers: Array<(accept: AcceptDeps) => Promise<Subscription>>;
  /** Starts the folder watcher, if any, once ingest is up. */
  start(accept: AcceptDeps): void;
  stop(): Promise<void>;
}

export interface ObjectSourceDeps {
  config: Config;
  adapters: Adapters;
  modules: ServiceModules;
  logger: Logger;
  metrics: Metrics;
  watchIntervalMs?: number;
}

export async function createObjectSources({ config, adapters, modules, logger, metrics, watchIntervalMs }: ObjectSourceDeps): Promise<ObjectSources> {
  const matcher = modules.createRuleMatcher(config.ingest.rules);
  if (adapters.localObjects) {
    let stopWatcher = async (): Promise<void> => undefined;
    return {
      consumers: [],
      start(accept) {
        const watcher = createFolderWatcher({
          root: config.local.dataDir,
          bucket: config.s3.artifactsBucket,
          onObject: async (object) => void (await modules.acceptObject({ accept, matcher }, object)),
          onError: (err, object) => logger.error({ err, key: object?.key }, 'inbox marker not handled; trying again'),
          ...(watchIntervalMs ? { intervalMs: watchIntervalMs } : {}),
        });
        watcher.start();
        stopWatcher = () => watcher.stop();
      },
      stop: () => stopWatcher(),
    };
  }
  const queue = config.s3.notificationsQueue;
  if (queue === undefined) return { consumers: [], start: () => undefined, stop: async () => undefined };
  let own: Bus | undefined;
  if (config.bus.kind !== 'sqs') {
    const { createSqsBus } = await import('@artifact-pipeline/shared/adapters/sqs-bus');
    own = createSqsBus({
      region: config.aws.region,
      ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
      queueNamePrefix: config.bus.queueNamePrefix,
      maxAttempts: config.worker.maxAttempts,
      logger,
    });
  }
  const bus = own ?? adapters.bus;
  return {
    consumers: [modules.s3NotificationConsumer({ bus, matcher, metrics, topic: queue })],
    start: () => undefined,
    stop: async () => void (await own?.close()),
  };
}
