/**
 * Ingest (DESIGN §2): the HTTP commands, `POST /v1/events`, uploads and tokens, plus the bus
 * consumers the other ways in plug into — S3 notifications and `artifacts.inbound`
 * (`consumers`, ingest-consumers.ts; started by `start()`, stopped by `stop()`).
 *
 * Middleware order: telemetry → problem details → ingest's problems → public routes
 * (the token endpoint, GET /v1/openapi.json, `publicRouters` such as health) → bearer auth → `/v1` commands.
 * `callback()` is what tests and main.ts serve; this module never listens.
 */
import Koa from 'koa';
import { DEFAULT_INGEST_RULES, sourcePolicyOf, type Bus, type Config, type JobStore, type Logger, type ObjectStore, type Subscription } from '@artifact-pipeline/shared';
import { allowedMethods } from '@artifact-pipeline/shared/http/allowed-methods';
import { bearerAuth, type TokenVerifier } from '@artifact-pipeline/shared/http/auth';
import { createMemoryLoginAttempts, type LoginAttempts } from '@artifact-pipeline/shared/http/auth-login-attempts';
import type { UserDirectory } from '@artifact-pipeline/shared/http/auth-users';
import { openApiRoutes } from '@artifact-pipeline/shared/http/openapi-document';
import { problemResponses } from '@artifact-pipeline/shared/http/problem-responses';
import { requestTelemetry } from '@artifact-pipeline/shared/http/request-telemetry';
import type { HttpRouter, HttpState } from '@artifact-pipeline/shared/http/router';
import type { Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import type { RetryOptions } from '@artifact-pipeline/shared';
import type { AcceptDeps } from './accept-command.js';
import { eventsRoute } from './events-route.js';
import { ingestProblems } from './http-problems.js';
import { createRuleMatcher, type RuleMatcher } from './rules-match.js';
import { commandRoutes } from './routes-commands.js';
import { tokenRoutes } from './routes-auth-token.js';
import { uploadRoutes } from './routes-uploads.js';

export interface IngestServiceDeps {
  /** `ingest` (INGEST_RULES) and `sources` (SOURCE_GRANTS) default to the built-in rules and no grants. */
  config: Pick<Config, 's3' | 'auth'> & Partial<Pick<Config, 'ingest' | 'sources' | 'bus'>>;
  bus: Bus;
  jobs: JobStore;
  objects: ObjectStore;
  logger: Logger;
  metrics: Metrics;
  /** AUTH_USERS_FILE, loaded (loadUserDirectory); without it POST /v1/auth/token answers 501. */
  users?: UserDirectory;
  /** Failed-login counts; default in memory (pass the Redis one when REDIS_URL is set). */
  loginAttempts?: LoginAttempts;
  /** Replaces the token verifier built from config.auth (tests). */
  verifier?: TokenVerifier;
  /** Routers that need no token (health, OpenAPI), mounted before auth. */
  publicRouters?: HttpRouter[];
  /** INGEST_RULES as a matcher, for POST /v1/events' object.created; default from config.ingest (or the built-in rules). */
  matcher?: RuleMatcher;
  /** More authenticated routers (local mode mounts the status queries here). */
  routers?: HttpRouter[];
  /** Bus consumers to run: S3 notifications, artifacts.inbound. Each resolves to its subscription. */
  consumers?: Array<(accept: AcceptDeps) => Promise<Subscription>>;
  clock?: () => Date;
  publishRetry?: Partial<RetryOptions>;
}

export interface IngestService {
  app: Koa<HttpState>;
  /** The accept dependencies the routes use; consumers get the same. */
  accept: AcceptDeps;
  callback(): ReturnType<Koa['callback']>;
  /** Starts the consumers. */
  start(): Promise<void>;
  /** Stops the consumers within `deadlineMs`. */
  stop(deadlineMs?: number): Promise<void>;
}

export function createIngestService(deps: IngestServiceDeps): IngestService {
  const { config, logger, metrics } = deps;
  const accept: AcceptDeps = {
    jobs: deps.jobs,
    bus: deps.bus,
    logger,
    metrics,
    sources: sourcePolicyOf({ ...config, ingest: { rules: config.ingest?.rules ?? DEFAULT_INGEST_RULES } }),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.publishRetry ? { publishRetry: deps.publishRetry } : {}),
    // BUS_MAX_MESSAGE_BYTES; 256 KiB (SQS's default) when the caller's config has no bus part
    claimCheck: { objects: deps.objects, bucket: config.s3.artifactsBucket, maxMessageBytes: config.bus?.maxMessageBytes ?? 262_144 },
  };
  const app = new Koa<HttpState>();
  app.use(requestTelemetry({ logger, metrics, quietPaths: new Set(['/healthz', '/readyz', '/metrics']) }));
  app.use(problemResponses({ logger }));
  app.use(ingestProblems());
  // 405 with Allow for every router below (a path under a method it does not answer).
  app.use(allowedMethods());
  const token = tokenRoutes({ users: deps.users, jwtSecret: config.auth.jwtSecret, attempts: deps.loginAttempts ?? createMemoryLoginAttempts() });
  for (const router of [token, openApiRoutes(), ...(deps.publicRouters ?? [])]) app.use(router.routes());
  app.use(bearerAuth({ auth: config.auth, logger, ...(deps.verifier ? { verifier: deps.verifier } : {}) }));
  const buckets = { defaultBucket: config.s3.artifactsBucket, allowed: config.s3.allowedSourceBuckets };
  const routers = [
    commandRoutes({ accept, buckets }),
    uploadRoutes({ objects: deps.objects, bucket: config.s3.uploadsBucket, ...(deps.clock ? { clock: deps.clock } : {}) }),
    eventsRoute({ accept, matcher: deps.matcher ?? createRuleMatcher(config.ingest?.rules ?? DEFAULT_INGEST_RULES), buckets }),
    ...(deps.routers ?? []),
  ];
  for (const router of routers) app.use(router.routes());

  let subscriptions: Subscription[] = [];
  return {
    app,
    accept,
    callback: () => app.callback(),
    async start() {
      subscriptions = await Promise.all((deps.consumers ?? []).map((start) => start(accept)));
    },
    async stop(deadlineMs) {
      const running = subscriptions;
      subscriptions = [];
      await Promise.allSettled(running.map((s) => s.stop(deadlineMs)));
    },
  };
}
