/**
 * Turns TypeBox validation errors into short lines a person can act on:
 * `data.source.prefix: expected string`, `data.jobId: is required`.
 */
import { ValueErrorType, type ValueError, type ValueErrorIterator } from '@sinclair/typebox/errors';

/** At most this many problems are kept on an error (context.errors). */
export const MAX_REPORTED_ERRORS = 10;

/** `/source/keys/3` under `data` → `data.source.keys[3]`. */
export function displayPath(root: string, pointer: string): string {
  let out = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(root)' : out;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function constOptions(error: ValueError): unknown[] | undefined {
  const variants = (error.schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (!variants || !variants.every((v) => 'const' in v)) return undefined;
  return variants.map((v) => v.const);
}

function describe(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not a known field';
    case ValueErrorType.StringFormat:
      return `expected ${(error.schema as { format?: string }).format ?? 'formatted'} string`;
    default:
      return lowerFirst(error.message);
  }
}

/**
 * A union (e.g. a ZIP source: prefix or keys) fails as a whole; report the variant that
 * came closest, so the user reads "data.source.prefix: expected string" rather than
 * "expected union value". Unions of constants read as "expected one of …".
 */
function* flatten(error: ValueError): Generator<ValueError> {
  if (error.type !== ValueErrorType.Union) return yield error;
  const options = constOptions(error);
  if (options) {
    return yield { ...error, message: `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}` };
  }
  const lists = error.errors.map((variant) => [...variant]);
  const fewest = Math.min(...lists.map((list) => list.length));
  const closest = lists.filter((list) => list.length === fewest);
  // A tie (e.g. neither `prefix` nor `keys` given) says more by naming the alternatives.
  const titles = (error.schema as { anyOf?: Array<{ title?: string }> }).anyOf?.map((v) => v.title);
  if (closest.length > 1 && titles?.every((t) => t !== undefined)) {
    return yield { ...error, message: `expected a ${titles.join(' or a ')}` };
  }
  const best = closest[0];
  if (!best || best.length === 0) return yield error;
  for (const inner of best) yield* flatten(inner);
}

/**
 * Up to MAX_REPORTED_ERRORS readable problems from a TypeBox error iterator. A missing
 * property is reported once ("is required"), not also as "expected string".
 */
export function formatErrors(errors: ValueErrorIterator | Iterable<ValueError>, root: string): string[] {
  const lines: string[] = [];
  const missing = new Set<string>();
  for (const error of errors) {
    for (const leaf of flatten(error)) {
      const path = displayPath(root, leaf.path);
      if (missing.has(path)) continue;
      if (leaf.type === ValueErrorType.ObjectRequiredProperty) {
        missing.add(path);
        for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.startsWith(`${path}: `)) lines.splice(i, 1);
      }
      const line = `${path}: ${describe(leaf)}`;
      if (!lines.includes(line)) lines.push(line);
      if (lines.length >= MAX_REPORTED_ERRORS) return lines;
    }
  }
  return lines;
}
