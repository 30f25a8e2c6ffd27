/**
 * A span per job attempt, a child of the bus's consumer span (which continues the trace the
 * command carried), so the S3 calls and the lifecycle events published while the job is
 * built belong to the job's trace.
 */
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { TelemetryNames } from '../telemetry/names.js';

const TRACER_NAME = 'artifact-pipeline';
const { attributes } = TelemetryNames;

export interface JobSpanFacts {
  jobId: string;
  jobType: string;
  attempt: number;
  owner?: string;
}

export function withJobSpan<T>(facts: JobSpanFacts, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const spanAttributes: Record<string, string | number> = {
    [attributes.jobId]: facts.jobId,
    [attributes.jobType]: facts.jobType,
    [attributes.jobAttempt]: facts.attempt,
    ...(facts.owner === undefined ? {} : { [attributes.jobOwner]: facts.owner }),
  };
  return tracer.startActiveSpan(`${facts.jobType} job`, { attributes: spanAttributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : new Error(String(err)));
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string') span.setAttribute(attributes.errorType, code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
