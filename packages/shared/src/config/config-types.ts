/**
 * The configuration every service receives, grouped by concern. Read once from the
 * environment by loadConfig, deeply frozen, passed down (DESIGN §8). docs/configuration.md
 * lists each variable with its default.
 */
import type { IngestRule } from './ingest-rules.js';
import type { SourceGrant } from '../source-policy.js';

export type BusKind = 'sqs' | 'kafka' | 'memory';
export type AuthMode = 'jwt' | 'none';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface Config {
  bus: {
    /** BUS. memory = in-process (unit tests, all-in-one local mode). */
    kind: BusKind;
    /** QUEUE_NAME_PREFIX, prepended to SQS queue names ('' by default). */
    queueNamePrefix: string;
    /** TOPIC_PREFIX, prepended to Kafka topic names ('' by default). */
    topicPrefix: string;
    /**
     * SQS_QUEUE_URL_BASE, e.g. https://sqs.us-east-1.amazonaws.com/123456789012 (Terraform's
     * sqs_queue_url_base): queue URLs are this plus the queue name, so no GetQueueUrl call is
     * made. Undefined = each queue's URL is asked with GetQueueUrl.
     */
    queueUrlBase: string | undefined;
    /**
     * BUS_MAX_MESSAGE_BYTES: the largest message the transport takes. Default from BUS: SQS
     * 262,144 (256 KiB, the queue default; at most 1,048,576), Kafka 1,048,588 (the broker's
     * default `message.max.bytes`), memory 262,144. A command that would come within 16 KiB
     * of it is sent with its request stored in S3 (claim-check.ts).
     */
    maxMessageBytes: number;
  };
  kafka: {
    /** KAFKA_BROKERS as host:port entries; empty unless given (required when BUS=kafka). */
    brokers: readonly string[];
    /** KAFKA_CLIENT_ID. */
    clientId: string;
  };
  redis: {
    /** REDIS_URL; undefined = the in-memory job store (local mode). */
    url: string | undefined;
  };
  aws: {
    /** AWS_REGION. */
    region: string;
    /** AWS_ENDPOINT_URL (moto, LocalStack, MinIO); undefined = AWS itself. */
    endpoint: string | undefined;
  };
  s3: {
    /** S3_FORCE_PATH_STYLE. */
    forcePathStyle: boolean;
    /** ARTIFACTS_BUCKET: where ZIPs and reports are written. */
    artifactsBucket: string;
    /** UPLOADS_BUCKET: where POST /v1/uploads presigns (under inbox/); default ARTIFACTS_BUCKET. */
    uploadsBucket: string;
    /** DOWNLOAD_URL_TTL_SECONDS, 1..604800 (S3's presign maximum, 7 days). */
    downloadUrlTtlSeconds: number;
    /** ALLOWED_SOURCE_BUCKETS: the buckets besides ARTIFACTS_BUCKET that jobs may read; empty = only ARTIFACTS_BUCKET. */
    allowedSourceBuckets: readonly string[];
    /** S3_NOTIFICATIONS_QUEUE; undefined when set to '' (S3 notifications disabled). */
    notificationsQueue: string | undefined;
  };
  http: {
    /** PORT. */
    port: number;
    /** PUBLIC_BASE_URL without a trailing slash; default http://localhost:PORT. */
    publicBaseUrl: string;
    /**
     * HTTP_KEEP_ALIVE_SECONDS, 1..290 (default 65): how long an idle keep-alive connection
     * stays open. Longer than a load balancer's idle timeout (60 s on most), so the balancer,
     * not the server, closes idle connections and never sends a request down a closing one.
     */
    keepAliveSeconds: number;
    /**
     * SHUTDOWN_DELAY_SECONDS, 0..300 (default 0): ingest and status keep serving this long
     * after SIGTERM, with /readyz answering 503, before they stop listening; load balancers
     * and kube-proxy take that long to stop sending them requests. Workers ignore it.
     */
    shutdownDelaySeconds: number;
  };
  auth: {
    /** AUTH_MODE; none is for local use only. */
    mode: AuthMode;
    /** AUTH_JWT_SECRET (HS256), at least 32 characters. */
    jwtSecret: string | undefined;
    /** AUTH_JWKS_URL (RS256 keys). */
    jwksUrl: string | undefined;
    /** AUTH_USERS_FILE: scrypt password hashes for POST /v1/auth/token. */
    usersFile: string | undefined;
    /**
     * AUTH_MAX_TOKEN_LIFETIME_SECONDS, 3,600..31,536,000 (default 86,400): a token without
     * `exp`, or with a longer life, is refused. At least the 1 h that POST /v1/auth/token
     * issues. Optional here so a hand-built auth config keeps the default.
     */
    maxTokenLifetimeSeconds?: number;
  };
  ingest: {
    /** INGEST_RULES, or the two default rules of DESIGN §7. */
    rules: readonly IngestRule[];
  };
  sources: {
    /** SOURCE_GRANTS: areas non-admin owners may read beyond their own (source-policy.ts). */
    grants: readonly SourceGrant[];
  };
  webhook: {
    /** WEBHOOK_URL: called on every completed / failed job. */
    url: string | undefined;
    /** WEBHOOK_SECRET: signs webhook bodies (required with WEBHOOK_URL). */
    secret: string | undefined;
    /**
     * WEBHOOK_ALLOW_PRIVATE (default false): per-job webhooks may target loopback, private
     * and link-local addresses. Off, so a job request cannot make status call into the cluster.
     */
    allowPrivate: boolean;
    /** WEBHOOK_ALLOW_HTTP (default false): per-job webhooks may use plain http, not only https. */
    allowHttp: boolean;
  };
  log: {
    /** LOG_LEVEL. */
    level: LogLevel;
  };
  worker: {
    /** MAX_ATTEMPTS, 1..100: deliveries before a message is dead-lettered. */
    maxAttempts: number;
    /** WORKER_CONCURRENCY, 1..64: handlers at once per consumer. */
    concurrency: number;
  };
  shutdown: {
    /** SHUTDOWN_GRACE_SECONDS: how long SIGTERM waits for work in flight. */
    graceSeconds: number;
  };
  journal: {
    /**
     * JOURNAL_PREFIX (default `journal/`): where in ARTIFACTS_BUCKET status appends its event
     * journal (BUS=sqs) and the rebuild reads it; Terraform's journal_prefix grants exactly it.
     */
    prefix: string;
  };
  jobs: {
    /** JOB_RETENTION_DAYS: how long finished jobs stay in the read model. */
    retentionDays: number;
  };
  local: {
    /** LOCAL_DATA_DIR: folder standing in for S3 in local mode (relative to the working directory). */
    dataDir: string;
  };
}
