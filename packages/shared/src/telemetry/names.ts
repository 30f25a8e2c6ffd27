/**
 * Every metric name, label key, label value and span attribute the services use, in one
 * place (STYLE "Config, telemetry"). Services say what happened in these words; metrics.ts
 * turns the metric entries into prom-client instruments. docs/observability.md lists them.
 *
 * Our own metrics carry the `ap_` prefix; the runtime's default metrics (process_*, nodejs_*)
 * keep prom-client's names. Durations are in seconds and sizes in bytes (Prometheus naming
 * conventions); counters end in `_total`.
 */

/** Histogram buckets, in seconds. */
const HTTP_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** A bus handler may run a whole job (zipper, reporter): up to an hour. */
const HANDLER_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600] as const;
/** Whole jobs, from a second to the hour a large ZIP can take. */
const JOB_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;
/** Time from an event's `time` to its application in the read model. */
const LAG_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;

export const TelemetryNames = {
  metrics: {
    httpRequestsTotal: {
      kind: 'counter', name: 'ap_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status code.',
      labels: ['route', 'method', 'status'],
    },
    httpRequestDurationSeconds: {
      kind: 'histogram', name: 'ap_http_request_duration_seconds',
      help: 'Time from request to the last byte of the response headers and body, in seconds.',
      labels: ['route', 'method', 'status'], buckets: HTTP_SECONDS,
    },
    busMessagesTotal: {
      kind: 'counter', name: 'ap_bus_messages_total',
      help: 'Messages consumed from the bus, by logical topic and outcome (acked, retried, dead_lettered).',
      labels: ['topic', 'outcome'],
    },
    busHandlerDurationSeconds: {
      kind: 'histogram', name: 'ap_bus_handler_duration_seconds',
      help: 'Time a bus handler took for one message, in seconds.',
      labels: ['topic'], buckets: HANDLER_SECONDS,
    },
    jobsTotal: {
      kind: 'counter', name: 'ap_jobs_total',
      help: 'Jobs that ended an attempt, by job type and outcome (completed, failed, retried).',
      labels: ['type', 'outcome'],
    },
    jobDurationSeconds: {
      kind: 'histogram', name: 'ap_job_duration_seconds',
      help: 'Time one job attempt took, from start to completed or failed, in seconds.',
      labels: ['type'], buckets: JOB_SECONDS,
    },
    zipBytesInTotal: {
      kind: 'counter', name: 'ap_zip_bytes_in_total',
      help: 'Bytes read from source objects into ZIP archives.', labels: [],
    },
    zipBytesOutTotal: {
      kind: 'counter', name: 'ap_zip_bytes_out_total',
      help: 'Bytes of ZIP archives written to the artifacts bucket.', labels: [],
    },
    zipEntriesTotal: {
      kind: 'counter', name: 'ap_zip_entries_total',
      help: 'Entries written into ZIP archives.', labels: [],
    },
    reportRowsTotal: {
      kind: 'counter', name: 'ap_report_rows_total',
      help: 'Rows rendered into reports, by format (xlsx, pdf).', labels: ['format'],
    },
    commandsPublishedTotal: {
      kind: 'counter', name: 'ap_commands_published_total',
      help: 'Job commands published by ingest, by job type (zip, report).', labels: ['type'],
    },
    s3NotificationsTotal: {
      kind: 'counter', name: 'ap_s3_notifications_total',
      help: 'S3 notification records read, by outcome (matched, unmatched, duplicate, test).',
      labels: ['outcome'],
    },
    eventsAppliedTotal: {
      kind: 'counter', name: 'ap_events_applied_total',
      help: 'Lifecycle events offered to the read model, by event type and outcome (applied, stale, duplicate).',
      labels: ['type', 'outcome'],
    },
    projectionLagSeconds: {
      kind: 'histogram', name: 'ap_projection_lag_seconds',
      help: 'Time from an event being emitted to its application in the read model, in seconds.',
      labels: [], buckets: LAG_SECONDS,
    },
    sseStreamsOpen: {
      kind: 'gauge', name: 'ap_sse_streams_open',
      help: 'Server-Sent Event streams currently open.', labels: [],
    },
    webhookDeliveriesTotal: {
      kind: 'counter', name: 'ap_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (delivered, retried, failed).', labels: ['outcome'],
    },
  },

  /** Label keys, for code that builds label objects by name. */
  labels: {
    route: 'route', method: 'method', status: 'status', topic: 'topic', outcome: 'outcome',
    type: 'type', format: 'format', service: 'service',
  },

  /** The closed sets of label values; anything else would be a cardinality leak. */
  outcomes: {
    bus: { acked: 'acked', retried: 'retried', deadLettered: 'dead_lettered' },
    job: { completed: 'completed', failed: 'failed', retried: 'retried' },
    s3Notification: { matched: 'matched', unmatched: 'unmatched', duplicate: 'duplicate', test: 'test' },
    eventApplied: { applied: 'applied', stale: 'stale', duplicate: 'duplicate' },
    webhook: { delivered: 'delivered', retried: 'retried', failed: 'failed' },
  },

  /** The `route` label of requests no route matched: never the raw path (cardinality). */
  unmatchedRoute: 'unmatched',

  /**
   * Span attribute keys. Standard ones follow the OpenTelemetry semantic conventions
   * (HTTP, messaging, CloudEvents, AWS S3, error); `artifact.*` are ours.
   */
  attributes: {
    jobId: 'artifact.job.id',
    jobType: 'artifact.job.type',
    jobOwner: 'artifact.job.owner',
    jobAttempt: 'artifact.job.attempt',
    jobStatus: 'artifact.job.status',
    requestId: 'artifact.request.id',
    ingestRule: 'artifact.ingest.rule',
    zipEntries: 'artifact.zip.entries',
    zipBytesIn: 'artifact.zip.bytes_in',
    zipBytesOut: 'artifact.zip.bytes_out',
    reportFormat: 'artifact.report.format',
    reportRows: 'artifact.report.rows',
    httpRequestMethod: 'http.request.method',
    httpRoute: 'http.route',
    httpResponseStatusCode: 'http.response.status_code',
    urlPath: 'url.path',
    urlScheme: 'url.scheme',
    serverAddress: 'server.address',
    clientAddress: 'client.address',
    userAgent: 'user_agent.original',
    messagingSystem: 'messaging.system',
    messagingDestinationName: 'messaging.destination.name',
    messagingOperationType: 'messaging.operation.type',
    messagingMessageId: 'messaging.message.id',
    messagingConsumerGroup: 'messaging.consumer.group.name',
    messagingPartitionId: 'messaging.destination.partition.id',
    messagingKafkaMessageKey: 'messaging.kafka.message.key',
    messagingKafkaOffset: 'messaging.kafka.offset',
    messagingDeliveryCount: 'messaging.message.delivery_count',
    cloudeventsId: 'cloudevents.event_id',
    cloudeventsType: 'cloudevents.event_type',
    cloudeventsSource: 'cloudevents.event_source',
    cloudeventsSubject: 'cloudevents.event_subject',
    s3Bucket: 'aws.s3.bucket',
    s3Key: 'aws.s3.key',
    errorType: 'error.type',
  },

  /** Values of `messaging.system` and `messaging.operation.type` (semantic conventions). */
  messaging: {
    systems: { sqs: 'aws_sqs', kafka: 'kafka', memory: 'memory' },
    operations: { send: 'send', receive: 'receive', process: 'process' },
  },
} as const;

type Metrics = typeof TelemetryNames.metrics;
/** The key of a metric in TelemetryNames.metrics, e.g. `jobsTotal`. */
export type MetricKey = keyof Metrics;
/** The definition of one metric. */
export type MetricDefinition = Metrics[MetricKey];

type Outcomes = typeof TelemetryNames.outcomes;
export type BusOutcome = Outcomes['bus'][keyof Outcomes['bus']];
export type JobOutcome = Outcomes['job'][keyof Outcomes['job']];
export type S3NotificationOutcome = Outcomes['s3Notification'][keyof Outcomes['s3Notification']];
export type EventAppliedOutcome = Outcomes['eventApplied'][keyof Outcomes['eventApplied']];
export type WebhookOutcome = Outcomes['webhook'][keyof Outcomes['webhook']];

/**
 * Span names. Messaging follows the semantic conventions' `{operation} {destination}`, HTTP
 * servers `{method} {route}` (just `{method}` when no route matched), jobs `{type} job`.
 */
export const SpanNames = {
  httpServer: (method: string, route: string): string => `${method} ${route}`,
  publish: (topic: string): string => `publish ${topic}`,
  process: (topic: string): string => `process ${topic}`,
  job: (type: string): string => `${type} job`,
} as const;
