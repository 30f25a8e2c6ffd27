/**
 * The single gate every event from outside passes (DESIGN §3: "everything from outside
 * is validated; an invalid event is rejected with a clear reason and never forwarded").
 * Codecs turn wire messages into a candidate object and hand it here.
 */
import { ErrorCode, PipelineError } from '../errors.js';
import type { PipelineEvent } from './envelope.js';
import { envelopeProblems, KNOWN_ATTRIBUTES, showValue } from './envelope-rules.js';
import { eventRegistry, isEventType } from './event-registry.js';
import type { AnyPipelineEvent } from './event-types.js';
import { MAX_REPORTED_ERRORS } from './validation-errors.js';

export interface ParseEventOptions {
  /**
   * Accept `zip.requested` / `report.requested` without `data.jobId`: commands from other
   * systems (HTTP /v1/events, Kafka artifacts.inbound) before ingest assigns the job id.
   * Other types still need every field. Default false.
   */
  allowMissingJobId?: boolean;
}

/** Problems named in the error message itself; the rest are in `context.errors`. */
const IN_MESSAGE = 3;

/** The INVALID_EVENT error every decoding path throws: not retriable, reasons attached. */
export function invalidEvent(problems: string[], context: Record<string, unknown> = {}): PipelineError {
  const shown = problems.slice(0, IN_MESSAGE).join('; ');
  const more = problems.length > IN_MESSAGE ? ` (and ${problems.length - IN_MESSAGE} more)` : '';
  return new PipelineError(`invalid event: ${shown}${more}`, {
    code: ErrorCode.INVALID_EVENT,
    retriable: false,
    context: { ...context, errors: problems.slice(0, MAX_REPORTED_ERRORS) },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * Validates a CloudEvent in its JSON form (structured mode, or the attributes a binary
 * codec collected) and returns it with only the attributes the pipeline knows. Foreign
 * extension attributes are checked for shape, then dropped. Throws INVALID_EVENT.
 */
export function parseEvent(input: unknown, options?: { allowMissingJobId?: false }): AnyPipelineEvent;
export function parseEvent(input: unknown, options: ParseEventOptions): PipelineEvent;
export function parseEvent(input: unknown, options: ParseEventOptions = {}): PipelineEvent {
  if (!isPlainObject(input)) {
    throw invalidEvent([`event: expected a JSON object (got ${Array.isArray(input) ? 'an array' : typeof input})`]);
  }
  const problems = envelopeProblems(input);
  const type = input.type;
  if (type === undefined) problems.push('type: is required');
  else if (!isEventType(type)) problems.push(`type: unknown event type ${showValue(type)}`);
  if (!('data' in input) || input.data === undefined) {
    problems.push('data: is required');
  } else if (isEventType(type)) {
    problems.push(...eventRegistry[type].validate(input.data, options));
  }
  if (problems.length > 0) {
    throw invalidEvent(problems, {
      ...(typeof input.id === 'string' ? { id: input.id } : {}),
      ...(typeof type === 'string' ? { type } : {}),
    });
  }
  const event: Record<string, unknown> = {};
  for (const name of KNOWN_ATTRIBUTES) {
    if (input[name] !== undefined) event[name] = input[name];
  }
  // Parameters such as `; charset=utf-8` are dropped: UTF-8 JSON is all we carry.
  event.datacontenttype = 'application/json';
  return event as unknown as PipelineEvent;
}
