/**
 * Where new objects come from in local mode: with the local folder store, the inbox folder
 * watcher (folder-watcher.ts) feeding ingest's acceptObject; with S3, ingest's consumer of
 * S3 event notifications on S3_NOTIFICATIONS_QUEUE — always an SQS queue (S3 cannot notify
 * Kafka), so with BUS=kafka a separate SQS bus reads it. `artifacts provision` creates the
 * queue and the bucket notification.
 */
import { createNotificationsBus, type Adapters, type Config, type Logger, type Subscription } from '@artifact-pipeline/shared';
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
  const notifications = await createNotificationsBus(config, { bus: adapters.bus, logger });
  if (notifications === undefined) return { consumers: [], start: () => undefined, stop: async () => undefined };
  return {
    consumers: [modules.s3NotificationConsumer({ bus: notifications.bus, matcher, metrics, topic: notifications.queue })],
    start: () => undefined,
    stop: async () => void (notifications.owned ? await notifications.bus.close() : undefined),
  };
}
