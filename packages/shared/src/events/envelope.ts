/**
 * The CloudEvents 1.0 envelope as the pipeline uses it (DESIGN §3). Payload schemas
 * live beside this file; codecs for Kafka, HTTP and SQS turn this into wire messages.
 */
export const EVENT_TYPE_PREFIX = 'io.artifactpipeline.';

export const EventType = {
  objectCreated: 'io.artifactpipeline.object.created.v1',
  zipRequested: 'io.artifactpipeline.zip.requested.v1',
  reportRequested: 'io.artifactpipeline.report.requested.v1',
  jobStarted: 'io.artifactpipeline.job.started.v1',
  jobProgressed: 'io.artifactpipeline.job.progressed.v1',
  jobCompleted: 'io.artifactpipeline.job.completed.v1',
  jobFailed: 'io.artifactpipeline.job.failed.v1',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface PipelineEvent<D = unknown> {
  specversion: '1.0';
  /** UUID. */
  id: string;
  /** `/artifact-pipeline/<service>`. */
  source: string;
  type: EventType;
  /** RFC 3339, always set. */
  time: string;
  /** The job id, where there is one. */
  subject?: string;
  datacontenttype: 'application/json';
  /** URL of the payload's JSON Schema. */
  dataschema?: string;
  /** Extension: Kafka partition key = job id. */
  partitionkey?: string;
  /** Extension: the originating W3C trace context (Distributed Tracing extension). */
  traceparent?: string;
  tracestate?: string;
  /** Extension: idempotency key a sender may set (ingest). */
  idempotencykey?: string;
  data: D;
}
