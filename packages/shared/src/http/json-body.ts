/// <reference types="@koa/bodyparser" preserve="true" />
/**
 * Per-route JSON body parsing with a byte limit: `router.post('/v1/zip-jobs',
 * jsonBody({ limitBytes: 64 * 1024 }), handler)`. The parsed value is `ctx.request.body`
 * (unknown: validate it). Failures become PipelineErrors, so they answer as problem details:
 * over the limit → 413 PAYLOAD_TOO_LARGE, malformed JSON → 400 INVALID_INPUT, a body that is
 * not JSON → 415 UNSUPPORTED_MEDIA_TYPE. A request without a body leaves `ctx.request.body`
 * undefined.
 */
import { bodyParser } from '@koa/bodyparser';
import { ErrorCode, PipelineError } from '../errors.js';
import { HttpErrorCode } from './problem.js';
import type { HttpMiddleware } from './router.js';

export interface JsonBodyOptions {
  /** Largest accepted body, in bytes (decoded: after any Content-Encoding). */
  limitBytes: number;
  /**
   * Media types to read as JSON besides application/json and the +json types bodyparser knows,
   * e.g. `application/cloudevents+json` (CloudEvents JSON format §4, structured mode).
   */
  types?: string[];
}

const JSON_TYPES = ['application/json', 'application/*+json'];

export function jsonBody({ limitBytes, types = [] }: JsonBodyOptions): HttpMiddleware {
  const accepted = [...JSON_TYPES, ...types];
  const parse = bodyParser({
    enableTypes: ['json'],
    extendTypes: { json: accepted },
    jsonLimit: limitBytes,
    // Only objects and arrays: a bare number or string is never a valid command.
    jsonStrict: true,
    onError: (err) => {
      throw translate(err, limitBytes);
    },
  });
  return async (ctx, next) => {
    // ctx.is: null when the request has no body, false when the body is of another type.
    const match = ctx.is(accepted);
    if (match === null) return next();
    if (match === false) {
      throw new PipelineError(`request body must be JSON (${accepted.join(', ')}), got ${ctx.get('content-type') || 'no content type'}`, {
        code: HttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
        retriable: false,
      });
    }
    return parse(ctx, next);
  };
}

function translate(err: Error, limitBytes: number): PipelineError {
  // co-body / raw-body errors carry an HTTP status (and a `type` such as entity.too.large).
  const status = (err as { status?: unknown }).status;
  if (status === 413) {
    return new PipelineError(`request body is larger than ${limitBytes} bytes`, {
      code: ErrorCode.PAYLOAD_TOO_LARGE,
      retriable: false,
      cause: err,
      context: { limitBytes },
    });
  }
  if (status === 415) {
    return new PipelineError(`unsupported request body encoding: ${err.message}`, {
      code: HttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
      retriable: false,
      cause: err,
    });
  }
  const reason = err instanceof SyntaxError ? err.message : 'the body could not be read';
  return new PipelineError(`request body is not valid JSON: ${reason}`, {
    code: ErrorCode.INVALID_INPUT,
    retriable: false,
    cause: err,
  });
}
