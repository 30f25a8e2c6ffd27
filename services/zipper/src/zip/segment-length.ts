/**
 * Keeps each path segment of an entry name within what filesystems store: 255 bytes per
 * name on ext4, XFS, btrfs and APFS (NAME_MAX), 255 UTF-16 units on NTFS, which 255 UTF-8
 * bytes never exceed. `unzip` and `bsdtar` refuse a longer one ("File name too long").
 */
import { createHash } from 'node:crypto';

/** Most UTF-8 bytes in one path segment. */
export const MAX_SEGMENT_BYTES = 255;
/** An extension longer than this is part of the stem: it is cut like the rest. */
const MAX_KEPT_EXTENSION_BYTES = 32;
/** '~' and 8 hex digits of SHA-256: 32 bits, so two long names cut alike stay apart. */
const HASH_HEX_DIGITS = 8;

/** `segment` as `stem` and its last extension ('.tar.gz' → '.gz'); a leading dot starts a name. */
export function splitExtension(segment: string): [stem: string, extension: string] {
  const dot = segment.lastIndexOf('.');
  return dot > 0 ? [segment.slice(0, dot), segment.slice(dot)] : [segment, ''];
}

/**
 * `segment` unchanged when it fits in MAX_SEGMENT_BYTES, or cut: the stem shortened (at a
 * code point, never inside one), then '~' and a short hash of the whole segment, then the
 * extension, so the type of the file survives and two names that share their first 230
 * bytes do not end up equal.
 */
export function shortenSegment(segment: string): string {
  if (Buffer.byteLength(segment, 'utf8') <= MAX_SEGMENT_BYTES) return segment;
  let [stem, extension] = splitExtension(segment);
  if (Buffer.byteLength(extension, 'utf8') > MAX_KEPT_EXTENSION_BYTES) [stem, extension] = [segment, ''];
  const hash = createHash('sha256').update(segment, 'utf8').digest('hex').slice(0, HASH_HEX_DIGITS);
  return fitSegment(stem, `~${hash}`, extension);
}

/** `stem + suffix + extension`, the stem cut at a code point so the whole fits MAX_SEGMENT_BYTES. */
export function fitSegment(stem: string, suffix: string, extension: string): string {
  const room = MAX_SEGMENT_BYTES - Buffer.byteLength(suffix + extension, 'utf8');
  let kept = '';
  let bytes = 0;
  for (const codePoint of stem) {
    const size = Buffer.byteLength(codePoint, 'utf8');
    if (bytes + size > room) break;
    kept += codePoint;
    bytes += size;
  }
  return `${kept}${suffix}${extension}`;
}
