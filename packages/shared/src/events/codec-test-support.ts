/**
 * Fixtures the codec tests share: one fully populated event per type (every attribute
 * and extension set), and an assertion that a failure is the INVALID_EVENT we promise.
 * For tests only (not exported from the package index); free of test-runner imports so
 * the build can compile it like any other file.
 */
import { ErrorCode, isPipelineError, type PipelineError } from '../errors.js';
import { EventType, type PipelineEvent } from './envelope.js';
import { createEvent, type CreateEventOptions } from './create-event.js';
import { exampleData } from './event-examples.js';

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Every type, every attribute; tracestate has a space and the key a non-ASCII letter. */
export function fullEvents(): PipelineEvent[] {
  return Object.values(EventType).map((type) => {
    const options: CreateEventOptions = {
      source: '/artifact-pipeline/ingest',
      traceparent: TRACEPARENT,
      tracestate: 'rojo=00f067aa0ba902b7, congo=t61rcWkgMzE',
      idempotencykey: 'commande-été-4711',
    };
    // object.created has no job id to default the subject from.
    if (type === EventType.objectCreated) options.subject = 'uploads/inbox/alice/batch-7/_READY';
    return createEvent(type, exampleData[type] as never, options);
  });
}

/** Runs `fn`, expects INVALID_EVENT (retriable false) and returns it for more checks. */
export function invalidEventFrom(fn: () => unknown): PipelineError {
  try {
    fn();
  } catch (err) {
    if (!isPipelineError(err) || err.code !== ErrorCode.INVALID_EVENT || err.retriable !== false) {
      throw new Error(`expected INVALID_EVENT (not retriable), got: ${String(err)}`, { cause: err });
    }
    return err;
  }
  throw new Error('expected INVALID_EVENT, nothing was thrown');
}

/** The first reason on an INVALID_EVENT error. */
export function firstReason(err: PipelineError): string {
  return (err.context.errors as string[])[0] ?? '';
}
