/**
 * The `Range` request header for serving local objects (RFC 9110 §14.1.2). One range only:
 * `bytes=a-b`, `bytes=a-` and `bytes=-n` (the last n bytes). A header this does not
 * understand (several ranges, another unit, bad syntax) is ignored, which RFC 9110 §14.2
 * allows: the client gets the whole object with 200.
 */
export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // suffix range: the last n bytes; n = 0 cannot be satisfied (RFC 9110 §14.1.3)
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
