/**
 * The last check before an entry's header is written. Names should come from a
 * NameAllocator (entry-names.ts); this refuses anything that would make an unsafe or
 * unreadable archive (zip-slip paths, backslashes, a segment over 255 bytes, names over
 * 65,535 bytes) instead of
 * trusting that it did.
 */
import { badInput } from '@artifact-pipeline/shared';
import { MAX_SEGMENT_BYTES } from './segment-length.js';

const METHODS = new Set(['store', 'deflate']);
/** With the u flag a valid surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Surrogate}/u;

export interface EntryInputFacts {
  name: string;
  size: number;
  method: string;
  crc32?: number | undefined;
}

/** The entry's name as UTF-8 bytes, or a non-retriable INVALID_INPUT error saying what is wrong. */
export function checkEntryInput(entry: EntryInputFacts, directory: boolean): Buffer {
  const { name, size, method, crc32 } = entry;
  if (!Number.isSafeInteger(size) || size < 0) throw badInput(`entry size must be a whole number of bytes ≥ 0, got ${size}`, { name });
  if (!METHODS.has(method)) throw badInput(`entry method must be 'store' or 'deflate', got '${method}'`, { name });
  if (crc32 !== undefined && !(Number.isInteger(crc32) && crc32 >= 0 && crc32 <= 0xffffffff)) {
    throw badInput(`crc32 must be an unsigned 32-bit integer, got ${crc32}`, { name });
  }
  if (directory !== name.endsWith('/')) {
    throw badInput(directory ? `a folder name must end with '/': "${name}"` : `a file name must not end with '/': "${name}"`, { name });
  }
  const path = directory ? name.slice(0, -1) : name;
  const segments = path.split('/');
  const unsafe =
    path.length === 0 ||
    name.includes('\\') ||
    name.includes('\0') ||
    LONE_SURROGATE.test(name) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) {
    throw badInput(`unsafe entry name "${name}": names must be relative, '/'-separated, without empty, '.' or '..' segments`, { name });
  }
  const long = segments.find((segment) => Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES);
  if (long !== undefined) {
    throw badInput(`entry name has a ${Buffer.byteLength(long, 'utf8')}-byte segment; filesystems store at most ${MAX_SEGMENT_BYTES}`, {
      name: name.slice(0, 100),
    });
  }
  const bytes = Buffer.from(name, 'utf8');
  // The name length field is 16 bits (APPNOTE 4.4.10).
  if (bytes.length > 0xffff) throw badInput(`entry name is ${bytes.length} bytes; at most 65,535 fit`, { name: name.slice(0, 100) });
  return bytes;
}
