/**
 * Problem details for HTTP APIs (RFC 9457) with a stable `code` extension member, and the
 * ONE table that maps error codes to HTTP statuses. Clients branch on `code`, never on
 * `title` or `detail`.
 */
import { STATUS_CODES } from 'node:http';
import { ErrorCode, isPipelineError } from '../errors.js';

/** RFC 9457 §3: the media type of a problem details object in JSON. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Codes only the HTTP layer produces; the rest come from ErrorCode (errors.ts). */
export const HttpErrorCode = {
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  CONFLICT: 'CONFLICT',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
} as const;

export interface Problem {
  /** RFC 9457 §3.1.1. `about:blank` unless a caller names a more specific type URI. */
  type: string;
  /** §3.1.2: the status code, repeated in the body for the reader's convenience. */
  status: number;
  /** §3.1.3: short and the same for every occurrence of this kind of problem. */
  title: string;
  /** §3.1.4: this occurrence, for a human; never parsed. */
  detail?: string;
  /** §3.1.5: a URI reference for this occurrence. */
  instance?: string;
  /** Extension member: the stable machine-readable code, e.g. `NOT_FOUND`. */
  code: string;
  [extension: string]: unknown;
}

/** Error code → HTTP status. Codes not listed answer 500 INTERNAL with nothing leaked. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze({
  [ErrorCode.INVALID_INPUT]: 400,
  [ErrorCode.INVALID_EVENT]: 400,
  [ErrorCode.TOO_MANY_KEYS]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.ACCESS_DENIED]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [HttpErrorCode.METHOD_NOT_ALLOWED]: 405,
  [HttpErrorCode.NOT_ACCEPTABLE]: 406,
  [HttpErrorCode.CONFLICT]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [HttpErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.IDEMPOTENCY_MISMATCH]: 422,
  [ErrorCode.SOURCE_NOT_FOUND]: 422,
  [ErrorCode.SOURCE_EMPTY]: 422,
  [ErrorCode.INTERNAL]: 500,
  [HttpErrorCode.NOT_IMPLEMENTED]: 501,
  // Dependencies down, throttling us, or this process shutting down: the client may retry.
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.THROTTLED]: 503,
  [ErrorCode.PUBLISH_FAILED]: 503,
  [ErrorCode.ABORTED]: 503,
  [ErrorCode.TIMEOUT]: 504,
});

/**
 * Retry-After (RFC 9110 §10.2.3) on every 503 that does not set its own, in seconds: a
 * dependency down (Redis, the bus, S3) or this process shutting down. Short, because the
 * request itself fails within about a second (docs/retry.md), so a client polling at this
 * pace costs little and sees the recovery soon.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** HTTP status → code, for errors that carry only a status (koa's ctx.throw, http-errors). */
const CODE_BY_STATUS: Readonly<Record<number, string>> = Object.freeze({
  400: ErrorCode.INVALID_INPUT,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.ACCESS_DENIED,
  404: ErrorCode.NOT_FOUND,
  405: HttpErrorCode.METHOD_NOT_ALLOWED,
  406: HttpErrorCode.NOT_ACCEPTABLE,
  409: HttpErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: HttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
  422: ErrorCode.INVALID_INPUT,
  429: ErrorCode.THROTTLED,
  501: HttpErrorCode.NOT_IMPLEMENTED,
  503: ErrorCode.UNAVAILABLE,
  504: ErrorCode.TIMEOUT,
});

/** A problem details object. `extra` adds extension members (or overrides `type`/`instance`). */
export function problem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  extra?: Record<string, unknown>,
): Problem {
  return {
    type: 'about:blank',
    ...extra,
    status,
    title,
    code,
    ...(detail !== undefined ? { detail } : {}),
  };
}

/** The HTTP status for an error code (500 when the table does not know it). */
export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/** The recommended reason phrase, which RFC 9457 §4.2.1 asks `about:blank` titles to use. */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * Turns anything thrown into a problem. A PipelineError with a code in the table keeps its
 * code; below 500 its message becomes `detail` and its context rides along (the field that
 * was wrong). Errors that carry an HTTP status (http-errors: koa's ctx.throw, the router)
 * map by status, with the message only if marked `expose`. Everything else is 500 INTERNAL.
 * A 5xx never shows the error's own message: it may name hosts, keys or stack details.
 */
export function problemFromError(err: unknown): Problem {
  if (isPipelineError(err) && STATUS_BY_CODE[err.code] !== undefined) {
    const status = statusForCode(err.code);
    if (status >= 500) return problem(status, err.code, statusTitle(status), SERVER_DETAIL[status] ?? GENERIC_DETAIL);
    const context = Object.keys(err.context).length > 0 ? { context: { ...err.context } } : undefined;
    return problem(status, err.code, statusTitle(status), err.message, context);
  }
  const http = httpErrorStatus(err);
  if (http !== undefined) {
    const { status, expose } = http;
    const code = CODE_BY_STATUS[status] ?? (status < 500 ? ErrorCode.INVALID_INPUT : ErrorCode.INTERNAL);
    const detail = expose && status < 500 ? (err as Error).message : SERVER_DETAIL[status];
    return problem(status, code, statusTitle(status), detail);
  }
  return problem(500, ErrorCode.INTERNAL, statusTitle(500), GENERIC_DETAIL);
}

const GENERIC_DETAIL = 'The server could not complete the request.';
const SERVER_DETAIL: Readonly<Record<number, string>> = Object.freeze({
  500: GENERIC_DETAIL,
  501: 'The server does not support this request.',
  503: 'A service this request depends on is unavailable; try again later.',
  504: 'A service this request depends on did not answer in time; try again later.',
});

/**
 * The status of an http-errors style error (koa's ctx.throw, @koa/router): those carry a
 * boolean `expose` saying whether the message is safe to show (true below 500 by default).
 */
function httpErrorStatus(err: unknown): { status: number; expose: boolean } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 599 || typeof expose !== 'boolean') return undefined;
  return { status, expose };
}
