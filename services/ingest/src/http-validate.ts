/**
 * Checks a parsed JSON body against its schema and answers with every problem at once:
 * PipelineError INVALID_INPUT with `context.errors = [{path, message}]` (http-problems.ts
 * turns it into the problem's top-level `errors`). Paths are JSON-pointer-like dotted names
 * (`source.keys[3]`), relative to the body.
 */
import { createHash } from 'node:crypto';
import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared';

export interface FieldError {
  path: string;
  message: string;
}

/** At most this many field errors are reported per request. */
const MAX_FIELD_ERRORS = 20;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

export function validateBody<T extends TSchema>(schema: T, body: unknown): Static<T> {
  if (body === undefined) throw invalidFields([{ path: '(root)', message: 'a JSON body is required' }]);
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = TypeCompiler.Compile(schema)));
  if (check.Check(body)) return body as Static<T>;
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of check.Errors(body)) {
    for (const leaf of leaves(error)) {
      const item = { path: dotted(leaf.path), message: describe(leaf) };
      const id = `${item.path}\u0000${item.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      errors.push(item);
    }
    if (errors.length >= MAX_FIELD_ERRORS) break;
  }
  // A missing field is reported once ("is required"), not also as "expected string".
  const missing = new Set(errors.filter((e) => e.message === 'is required').map((e) => e.path));
  const kept = errors.filter((e) => !missing.has(e.path) || e.message === 'is required');
  throw invalidFields(kept.slice(0, MAX_FIELD_ERRORS));
}

export function invalidFields(errors: FieldError[]): PipelineError {
  const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new PipelineError(`the request body is not valid: ${summary}`, { code: ErrorCode.INVALID_INPUT, retriable: false, context: { errors } });
}

/** `/source/keys/3` → `source.keys[3]`; the body itself is `(root)`. */
function dotted(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  }
  return out === '' ? '(root)' : out;
}

type Err = { type: number; path: string; message: string; schema: unknown; errors: Iterable<Err>[] };

/** A union fails as a whole: report the closest variant's problems instead. */
function* leaves(error: Err): Generator<Err> {
  if (error.type !== ValueErrorType.Union || error.errors.length === 0) return yield error;
  const lists = error.errors.map((v) => [...v]);
  const literals = (error.schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (literals?.every((v) => 'const' in v)) {
    return yield { ...error, message: `expected one of ${literals.map((v) => JSON.stringify(v.const)).join(', ')}` };
  }
  const fewest = lists.reduce((a, b) => (b.length < a.length ? b : a));
  for (const inner of fewest) yield* leaves(inner);
}

function describe(error: Err): string {
  if (error.type === ValueErrorType.ObjectRequiredProperty) return 'is required';
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return 'is not a known field';
  if (error.type === ValueErrorType.StringPattern) return 'has characters or a form that is not allowed';
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** JSON with object keys sorted at every level: equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The idempotency request hash: SHA-256 (hex) of the route and the canonical validated body. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('hex');
}

/** Idempotency-Key: 1–255 printable ASCII characters (DESIGN §6), or undefined when absent. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (header.length > 255 || !/^[\x20-\x7e]+$/.test(header)) {
    throw invalidFields([{ path: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
  }
  return header;
}

/** Byte-length checks JSON Schema cannot express (it counts characters). */
export function checkBytes(checks: Array<[path: string, value: string | undefined, max: number]>): void {
  const errors = checks
    .filter(([, value, max]) => value !== undefined && Buffer.byteLength(value, 'utf8') > max)
    .map(([path, , max]) => ({ path, message: `must be at most ${max} bytes of UTF-8` }));
  if (errors.length > 0) throw invalidFields(errors);
}
