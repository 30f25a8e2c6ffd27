/**
 * A `job.*` CloudEvent (DESIGN §3) as the JobChange the read model applies. The change's
 * `at` is the event's `time`.
 *
 * `job.progressed` and `job.completed` carry no attempt in their schema (events.md). A
 * worker may add `data.attempt` (payloads tolerate extra fields) and then it is used;
 * otherwise the change belongs to the attempt the job is in now (at least 1).
 */
import {
  EventType,
  PipelineError,
  ErrorCode,
  type JobChange,
  type PipelineEvent,
} from '@artifact-pipeline/shared';

export interface EventChange {
  jobId: string;
  change: JobChange;
}

const JOB_TYPES: ReadonlySet<string> = new Set([
  EventType.jobStarted,
  EventType.jobProgressed,
  EventType.jobCompleted,
  EventType.jobFailed,
]);

export function isJobEvent(event: PipelineEvent): boolean {
  return JOB_TYPES.has(event.type);
}

/** The event's own attempt when it names one (started, failed, or a worker's extra field). */
export function eventAttempt(event: PipelineEvent): number | undefined {
  const attempt = (event.data as { attempt?: unknown } | null)?.attempt;
  return typeof attempt === 'number' && Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : undefined;
}

/** The job id of a job event; INVALID_EVENT (not retriable: dead-letter) when absent. */
export function eventJobId(event: PipelineEvent): string {
  const jobId = (event.data as { jobId?: unknown } | null)?.jobId;
  if (typeof jobId !== 'string' || jobId.length === 0) throw malformed(event, 'data.jobId is missing');
  return jobId;
}

/**
 * The change an event describes. `currentAttempt` is the job's attempt now (0 while queued),
 * used only for events that do not name their own.
 */
export function toJobChange(event: PipelineEvent, currentAttempt: number): EventChange {
  if (!isJobEvent(event)) throw malformed(event, `${event.type} is not a job lifecycle event`);
  const jobId = eventJobId(event);
  const at = event.time;
  const attempt = eventAttempt(event) ?? Math.max(1, currentAttempt);
  const data = event.data as Record<string, unknown>;
  try {
    switch (event.type) {
      case EventType.jobStarted:
        return { jobId, change: { kind: 'started', attempt, at } };
      case EventType.jobProgressed: {
        const { bytesDone, bytesTotal, itemsDone, itemsTotal } = data as Record<string, number>;
        return { jobId, change: { kind: 'progressed', attempt, at, progress: { bytesDone: bytesDone!, bytesTotal: bytesTotal!, itemsDone: itemsDone!, itemsTotal: itemsTotal! } } };
      }
      case EventType.jobCompleted: {
        const d = data as { output: never; downloadUrl: string; expiresAt: string; manifest?: unknown };
        const change: JobChange = { kind: 'completed', attempt, at, output: d.output, downloadUrl: d.downloadUrl, expiresAt: d.expiresAt };
        if (d.manifest !== undefined) change.manifest = d.manifest;
        return { jobId, change };
      }
      default: {
        const d = data as { error: { code: string; message: string; retriable: boolean }; final: boolean };
        return { jobId, change: { kind: 'failed', attempt, at, error: d.error, final: d.final } };
      }
    }
  } catch (err) {
    throw malformed(event, err instanceof Error ? err.message : String(err));
  }
}

/** Whether a change ends the job: nothing applies after it. */
export function isFinalChange(change: JobChange): boolean {
  return change.kind === 'completed' || (change.kind === 'failed' && change.final);
}

export function malformed(event: PipelineEvent, reason: string): PipelineError {
  return new PipelineError(`cannot project event ${event.id}: ${reason}`, {
    code: ErrorCode.INVALID_EVENT,
    retriable: false,
    context: { eventId: event.id, type: event.type },
  });
}
