/**
 * The status service (DESIGN §2, §5, §6): the projector consuming `artifacts.events`, the
 * query routes (jobs, download, live events) behind the token middleware, the webhook
 * notifier, and — when the bus is SQS — the S3 journal. main.ts wires it; tests call it
 * with memory or real adapters.
 */
import { Topic, silentLogger, type Bus, type JobStore, type Logger, type ObjectStore, type Subscription } from '@artifact-pipeline/shared';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { Router } from '@koa/router';
import { createJournal, type Journal } from './journal.js';
import type { StatusMiddleware, StatusState } from './principal.js';
import { createProjector, type Projector } from './project-event.js';
import { downloadRoutes } from './routes-download.js';
import { eventRoutes } from './routes-events.js';
import { jobRoutes } from './routes-jobs.js';
import { createWebhookDeadLetters } from './webhook-dead-letters.js';
import { createNotifier, type Notifier } from './webhooks.js';

/**
 * Events the status service projects at once, whatever WORKER_CONCURRENCY says (that sizes the
 * workers' jobs, not this): projecting is short Redis work, the store orders changes so any
 * order is safe, and concurrent events share one script call (redis-apply-batcher.ts), so
 * more in flight means fuller batches. Over Kafka a partition still delivers one at a time.
 */
export const PROJECTION_CONCURRENCY = 64;

export interface StatusServiceDeps {
  jobs: JobStore;
  objects: ObjectStore;
  bus: Bus;
  /** ARTIFACTS_BUCKET: the journal and webhook dead letters live there. */
  artifactsBucket: string;
  /** DOWNLOAD_URL_TTL_SECONDS. */
  downloadUrlTtlSeconds: number;
  /** The token middleware (shared http/auth.ts bearerAuth); it sets ctx.state.principal. */
  auth: StatusMiddleware;
  webhook?: { url?: string | undefined; secret?: string | undefined; allowPrivate: boolean; allowHttp: boolean; attempts?: number; baseDelayMs?: number };
  /** Append applied events to the S3 journal (on when BUS=sqs). */
  journal?: boolean | { prefix?: string; maxLines?: number; maxDelayMs?: number };
  /** Events projected at once (PROJECTION_CONCURRENCY by default). */
  concurrency?: number;
  /** Consumer group (Kafka). Default `status`. */
  group?: string;
  heartbeatMs?: number;
  logger?: Logger;
  metrics?: Metrics;
}

export interface StatusService {
  /** Every /v1 route of status, behind `auth`. Mount on the kernel app (createHttpApp routers). */
  router: Router<StatusState>;
  project: Projector;
  notifier: Notifier;
  journal?: Journal;
  /** Starts consuming `artifacts.events`. */
  start(): Promise<void>;
  /** Stops consuming (in-flight events finish), waits for webhooks, flushes the journal. */
  stop(deadlineMs: number): Promise<void>;
}

export function createStatusService(deps: StatusServiceDeps): StatusService {
  const { jobs, objects, bus, artifactsBucket, logger = silentLogger(), metrics, concurrency = PROJECTION_CONCURRENCY, group = 'status' } = deps;
  const hook = deps.webhook ?? { allowPrivate: false, allowHttp: false };
  const notifier = createNotifier({
    ...hook,
    secret: hook.secret,
    jobs,
    deadLetters: createWebhookDeadLetters({ objects, bucket: artifactsBucket }),
    logger: logger.child({ component: 'webhooks' }),
    ...(metrics ? { metrics } : {}),
  });
  const journalOptions = typeof deps.journal === 'object' ? deps.journal : {};
  const journal = deps.journal ? createJournal({ objects, bucket: artifactsBucket, logger, ...journalOptions }) : undefined;
  const project = createProjector({
    jobs,
    logger,
    ...(metrics ? { metrics } : {}),
    onApplied: (event, job, applied) => {
      if (applied) journal?.append(event, job);
      notifier.notify(event, job, applied);
    },
  });

  const router = new Router<StatusState>();
  // Runs only for requests one of these routes matches: health routes stay open.
  router.use(deps.auth);
  for (const routes of [
    jobRoutes({ jobs }),
    downloadRoutes({ jobs, objects, urlTtlSeconds: deps.downloadUrlTtlSeconds }),
    eventRoutes({ jobs, ...(metrics ? { metrics } : {}), ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}) }),
  ]) {
    router.use(routes.routes());
  }

  let subscription: Subscription | undefined;
  return {
    router,
    project,
    notifier,
    ...(journal ? { journal } : {}),
    async start() {
      await bus.resolveTopic(Topic.events);
      subscription = await bus.consume(Topic.events, (event, delivery) => project(event, delivery).then(() => undefined), { concurrency, group });
      logger.info({ topic: Topic.events, concurrency, journal: journal !== undefined }, 'projecting job events');
    },
    async stop(deadlineMs) {
      const until = Date.now() + deadlineMs;
      await subscription?.stop(deadlineMs);
      await notifier.drain(Math.max(0, until - Date.now()));
      await journal?.close().catch((err: unknown) => logger.error({ err }, 'journal not flushed at stop'));
    },
  };
}
