/**
 * Every payload of DESIGN §3, keyed by event type: the one place that says which schema
 * (and so which TypeScript type) belongs to which `type`.
 */
import type { Static } from '@sinclair/typebox';
import { EventType } from './envelope.js';
import { ReportRequested, ZipRequested } from './payloads-commands.js';
import { JobCompleted, JobFailed, JobProgressed, JobStarted, ObjectCreated } from './payloads-job.js';

export * from './payloads-commands.js';
export * from './payloads-job.js';

export const PayloadSchema = {
  [EventType.objectCreated]: ObjectCreated,
  [EventType.zipRequested]: ZipRequested,
  [EventType.reportRequested]: ReportRequested,
  [EventType.jobStarted]: JobStarted,
  [EventType.jobProgressed]: JobProgressed,
  [EventType.jobCompleted]: JobCompleted,
  [EventType.jobFailed]: JobFailed,
} as const;

/** The `data` of an event of type `T`. */
export type EventData<T extends EventType> = Static<(typeof PayloadSchema)[T]>;

/** The command types, whose inbound form may lack a job id (ingest assigns one). */
export const COMMAND_TYPES: readonly EventType[] = [EventType.zipRequested, EventType.reportRequested];
