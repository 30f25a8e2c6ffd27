/**
 * The job read model (DESIGN §5). Transitions are applied atomically and monotonically:
 * a late or duplicated change never moves a job backwards.
 *
 * Order of changes: each carries the delivery `attempt` and a phase; a change applies only
 * when (attempt, phase, bytesDone) is ahead of what the job has seen, and never once the
 * job is final (done, or failed with final = true). Phases: started 1 < progressed 2 <
 * failed (not final) 3 < completed | failed (final) 4. So a retry's `started` (attempt n+1)
 * after a non-final failure of attempt n moves the job forward again.
 */
export type JobType = 'zip' | 'report';
export type JobStatus = 'queued' | 'processing' | 'done' | 'failed';

export interface JobProgress {
  bytesDone: number;
  bytesTotal: number;
  itemsDone: number;
  itemsTotal: number;
}

export interface JobError {
  code: string;
  message: string;
  retriable: boolean;
}

export interface JobOutput {
  bucket: string;
  key: string;
  size: number;
  contentType: string;
}

export interface Job {
  id: string;
  type: JobType;
  owner: string;
  status: JobStatus;
  /** Delivery attempt of the latest applied change; 0 while queued. */
  attempt: number;
  progress: JobProgress;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** A short summary of the request (source bucket/prefix or key count, format…). */
  input: Record<string, unknown>;
  output?: JobOutput;
  downloadUrl?: string;
  expiresAt?: string;
  error?: JobError;
  manifest?: unknown;
  /** Increases by one with each applied change; the SSE event id. */
  version: number;
  /** Webhook outcomes of the final state, one per target URL (status's notifier). */
  notifications?: JobNotification[];
}

/** How a webhook about a job's final state went. */
export interface JobNotification {
  url: string;
  /** `failed`: retries ran out and the event went to the webhook dead letters. */
  status: 'delivered' | 'failed';
  /** Requests made, the first included. */
  attempts: number;
  /** ISO 8601: when the outcome was known. */
  at: string;
}

export interface NewJob {
  id: string;
  type: JobType;
  owner: string;
  input: Record<string, unknown>;
  /** ISO 8601; defaults to now. */
  createdAt?: string;
}

export interface IdempotencyClaim {
  key: string;
  /** Hash of the request body: same key + another body is refused. */
  requestHash: string;
  /** Kept this long; default 24 h. */
  ttlSeconds?: number;
}

export type JobChange =
  | { kind: 'started'; attempt: number; at: string }
  | { kind: 'progressed'; attempt: number; at: string; progress: JobProgress }
  | {
      kind: 'completed';
      attempt: number;
      at: string;
      output: JobOutput;
      downloadUrl: string;
      expiresAt: string;
      manifest?: unknown;
    }
  | { kind: 'failed'; attempt: number; at: string; error: JobError; final: boolean };

export interface ListJobsQuery {
  /** Omitted = every owner (admin). */
  owner?: string;
  status?: JobStatus;
  /** 1..100, default 20. */
  limit?: number;
  /** Opaque, from a previous page's nextCursor. */
  cursor?: string;
}

export interface JobPage {
  items: Job[];
  nextCursor?: string;
}

export interface CreateResult {
  job: Job;
  /** False when the idempotency key already named a job with the same request. */
  created: boolean;
}

export interface JobStore {
  /**
   * Records a `queued` job. With a claim: the same key and hash returns the existing job
   * (created = false); the same key with another hash throws IDEMPOTENCY_MISMATCH.
   */
  create(job: NewJob, claim?: IdempotencyClaim & { owner: string }): Promise<CreateResult>;
  /**
   * Applies one change atomically; `applied` is false when it would move the job backwards.
   * updatedAt becomes the change's `at` (never earlier than it was), not the store's clock:
   * a record is then a function of its changes alone, and replaying the same events (a
   * rebuild, a redelivery after an outage) stamps the same times.
   */
  apply(jobId: string, change: JobChange): Promise<{ applied: boolean; job?: Job }>;
  get(jobId: string): Promise<Job | undefined>;
  /**
   * Adds one to the job's delivery count and returns the new count; undefined when the store
   * does not hold the job. Durable across worker crashes: the job worker calls it before it
   * builds, so a delivery that killed its worker still counts (Kafka keeps no per-message
   * delivery count). Not a change: version, updatedAt and the change channel stay as they are.
   */
  countAttempt(jobId: string): Promise<number | undefined>;
  /**
   * Records a webhook outcome on the job, replacing an earlier one for the same URL. Not a
   * change: version, updatedAt and the change channel stay as they are. Undefined when the
   * job is not held.
   */
  recordNotification(jobId: string, notification: JobNotification): Promise<Job | undefined>;
  /** Newest first. */
  list(query: ListJobsQuery): Promise<JobPage>;
  /** Calls `listener` with the job after each applied change until the returned function is called. */
  subscribe(jobId: string, listener: (job: Job) => void): Promise<() => Promise<void>>;
  /**
   * Marks `marker` as seen for `ttlSeconds` (S3 notification dedupe).
   * Resolves true the first time, false for a duplicate.
   */
  markSeen(marker: string, ttlSeconds: number): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
