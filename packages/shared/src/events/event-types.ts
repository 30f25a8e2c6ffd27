/**
 * Typed views of PipelineEvent: one per event type, and the union a `switch (event.type)`
 * narrows. Events from createEvent, parseEvent and the codecs have been validated, so
 * narrowing by `type` is enough.
 */
import type { EventType, PipelineEvent } from './envelope.js';
import type { EventData } from './payloads.js';

export type TypedEvent<T extends EventType> = PipelineEvent<EventData<T>> & { type: T };

export type AnyPipelineEvent = { [T in EventType]: TypedEvent<T> }[EventType];

/**
 * Narrows a delivered event to one type. Does not re-validate `data`: whatever built or
 * decoded the event did (except a command parsed with `allowMissingJobId`, whose `jobId`
 * may still be missing until ingest assigns it).
 */
export function isEventOfType<T extends EventType>(event: PipelineEvent, type: T): event is TypedEvent<T> {
  return event.type === type;
}
