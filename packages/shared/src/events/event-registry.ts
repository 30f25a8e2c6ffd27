/**
 * For each event type: its payload schema, a compiled validator, and the URL of its
 * published JSON Schema (the CloudEvents `dataschema` attribute, DESIGN §3).
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { EVENT_TYPE_PREFIX, EventType } from './envelope.js';
import { PayloadSchema, type EventData } from './payloads.js';
import { ReportRequestedDraft, ZipRequestedDraft } from './payloads-commands.js';
import { formatErrors } from './validation-errors.js';

/** Where the schemas are published; each file is `<type without prefix>.json`. */
export const SCHEMA_BASE_URL = 'https://artifact-pipeline.dev/schemas/';

export interface ValidateOptions {
  /** Accept a command without `jobId` (ingest assigns one). Ignored for other types. */
  allowMissingJobId?: boolean;
}

export interface EventSpec<T extends EventType = EventType> {
  type: T;
  /** `zip.requested.v1`: the type without the `io.artifactpipeline.` prefix. */
  name: string;
  dataschema: string;
  title: string;
  description: string;
  schema: TSchema;
  /** Problems with `data`, one line each, paths rooted at `data`; empty when valid. */
  validate(data: unknown, options?: ValidateOptions): string[];
  isValid(data: unknown): data is EventData<T>;
}

const DESCRIPTIONS: Record<EventType, [string, string]> = {
  [EventType.objectCreated]: ['Object created', 'An object appeared in S3 (from an S3 notification; key decoded).'],
  [EventType.zipRequested]: ['ZIP requested', 'Command: stream a prefix or a key list into one ZIP in S3.'],
  [EventType.reportRequested]: ['Report requested', 'Command: render rows (inline or from a CSV / JSON-lines object) as XLSX or PDF.'],
  [EventType.jobStarted]: ['Job started', 'A worker began an attempt at a job.'],
  [EventType.jobProgressed]: ['Job progressed', 'Byte-accurate progress of a running job.'],
  [EventType.jobCompleted]: ['Job completed', 'The artifact is in S3; a presigned download URL is attached.'],
  [EventType.jobFailed]: ['Job failed', 'An attempt failed; `final` says whether the job is failed for good.'],
};

const DRAFTS: Partial<Record<EventType, TSchema>> = {
  [EventType.zipRequested]: ZipRequestedDraft,
  [EventType.reportRequested]: ReportRequestedDraft,
};

/**
 * Rules JSON Schema states but TypeBox does not check: `oneOf` on report.requested, and the
 * `if` on zip.requested (an empty key list only with requestRef).
 */
function refine(type: EventType, data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  if (type === EventType.zipRequested) {
    const keys = (data as { source?: { keys?: unknown } }).source?.keys;
    if (Array.isArray(keys) && keys.length === 0 && !('requestRef' in data)) return ['data.source.keys: must hold at least 1 key'];
    return [];
  }
  if (type !== EventType.reportRequested) return [];
  const hasRows = 'rows' in data;
  const hasSource = 'source' in data;
  if (hasRows === hasSource) return [`data: give exactly one of rows or source`];
  return [];
}

function specFor<T extends EventType>(type: T): EventSpec<T> {
  const name = type.slice(EVENT_TYPE_PREFIX.length);
  const schema = PayloadSchema[type];
  const check: TypeCheck<TSchema> = TypeCompiler.Compile(schema);
  const draft = DRAFTS[type];
  const draftCheck = draft ? TypeCompiler.Compile(draft) : undefined;
  const [title, description] = DESCRIPTIONS[type];
  return Object.freeze({
    type,
    name,
    dataschema: `${SCHEMA_BASE_URL}${name}.json`,
    title,
    description,
    schema,
    validate(data: unknown, options: ValidateOptions = {}): string[] {
      const checker = options.allowMissingJobId && draftCheck ? draftCheck : check;
      if (checker.Check(data)) return refine(type, data);
      return formatErrors(checker.Errors(data), 'data');
    },
    isValid(data: unknown): data is EventData<T> {
      return check.Check(data) && refine(type, data).length === 0;
    },
  });
}

export const eventRegistry: { readonly [T in EventType]: EventSpec<T> } = Object.freeze({
  [EventType.objectCreated]: specFor(EventType.objectCreated),
  [EventType.zipRequested]: specFor(EventType.zipRequested),
  [EventType.reportRequested]: specFor(EventType.reportRequested),
  [EventType.jobStarted]: specFor(EventType.jobStarted),
  [EventType.jobProgressed]: specFor(EventType.jobProgressed),
  [EventType.jobCompleted]: specFor(EventType.jobCompleted),
  [EventType.jobFailed]: specFor(EventType.jobFailed),
});

const KNOWN_TYPES = new Set<string>(Object.values(EventType));

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN_TYPES.has(value);
}

/** The dataschema URL of a type: SCHEMA_BASE_URL + `zip.requested.v1.json`. */
export function dataschemaFor(type: EventType): string {
  return eventRegistry[type].dataschema;
}
