/**
 * From an S3 key to a ZIP entry name that is safe to extract on Windows, macOS and Linux
 * (DESIGN §7): relative to the prefix, '/'-separated (APPNOTE 4.4.17.1), no leading '/',
 * no '.' or '..' segments, no characters or device names Windows refuses, no invisible or
 * direction-changing characters, at most 255 bytes per segment. Each change is
 * reported so the job's manifest can say why a name differs from its key. Collisions are
 * the NameAllocator's business (name-allocator.ts).
 */
import { shortenSegment } from './segment-length.js';

export type RenameReason =
  | 'outside-prefix' // the key does not start with the prefix: the whole key is the name
  | 'leading-slash' // '/a' became 'a'
  | 'backslash' // '\' became '/', as Windows would read it
  | 'empty-segment' // 'a//b' became 'a/b'
  | 'dot-segment' // '.' and '..' segments were dropped (not resolved): 'a/../b' became 'a/b'
  | 'reserved-character' // one of < > : " | ? * became '_'
  | 'control-character' // U+0000–U+001F, U+007F or U+0080–U+009F (C0, DEL, C1) became '_'
  | 'bidi-control' // U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069 became '_': '\u202Etxt.exe' shows as 'exe.txt'
  | 'invisible-character' // another format character (Unicode Cf, e.g. U+200B, U+FEFF, U+00AD) became '_'
  | 'noncharacter' // U+FDD0–U+FDEF or U+xFFFE/U+xFFFF, not for interchange, became '_'
  | 'trailing-dot-or-space' // Windows drops them itself, so 'a. ' and 'a' would clash
  | 'reserved-device-name' // CON, PRN, AUX, NUL, COM0–9, LPT0–9 (with any extension) got '_'
  | 'unicode-normalized' // rewritten in NFC, the form Windows and Linux tools expect
  | 'invalid-unicode' // a lone UTF-16 surrogate became U+FFFD
  | 'segment-too-long' // a segment over 255 bytes was cut, with '~' and 8 hex digits of its hash before the extension
  | 'collision'; // another entry had the name (case-insensitively): ' (n)' was added

export type SkipReason =
  | 'empty-name' // nothing is left of the name (the prefix's own folder marker, 'a/..', '...')
  | 'folder-with-data' // a key ending in '/' that holds bytes: it cannot be a file and a folder
  | 'duplicate-folder'; // a folder entry with this name (case-insensitively) was already written

export type EntryNameResult =
  | { kind: 'name'; name: string; directory: boolean; reasons: RenameReason[] }
  | { kind: 'skip'; reason: SkipReason; detail: string };

const RESERVED_CHARACTERS = /[<>:"|?*]/g;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Unicode's bidirectional formatting characters (UAX #9 §2): they reorder what is shown. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/**
 * Every other format character (general category Cf) shows as nothing, so two names that
 * look the same can differ. Zero-width non-joiner and joiner (U+200C, U+200D) are kept:
 * Persian and Indic spelling and emoji sequences need them.
 */
const INVISIBLE_CHARACTERS = /(?![\u200c\u200d])\p{Cf}/gu;
const NONCHARACTERS = /\p{Noncharacter_Code_Point}/gu;
const TRAILING_DOTS_AND_SPACES = /[. ]+$/;
const LONE_SURROGATES = /\p{Surrogate}/gu;
/** Windows device names, reserved with any extension ('con.txt' too). */
const DEVICE_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * The entry name for `key` under `prefix` (a listing prefix, '' for none), or why it has
 * none. A key ending in '/' is a folder and gets a name ending in '/'.
 */
export function entryName(key: string, prefix = ''): EntryNameResult {
  const reasons = new Set<RenameReason>();
  let path = key;
  if (prefix !== '' && key.startsWith(prefix)) {
    path = key.slice(prefix.length);
    // 'docs' as a prefix of 'docs/a.txt' leaves '/a.txt': that slash is the boundary.
    if (!prefix.endsWith('/') && path.startsWith('/')) path = path.slice(1);
  } else if (prefix !== '') {
    reasons.add('outside-prefix');
  }
  const directory = path.endsWith('/');
  if (directory) path = path.slice(0, -1);

  const wellFormed = path.replace(LONE_SURROGATES, '\uFFFD');
  if (wellFormed !== path) reasons.add('invalid-unicode');
  path = wellFormed.normalize('NFC');
  if (path !== wellFormed) reasons.add('unicode-normalized');
  if (path.includes('\\')) {
    reasons.add('backslash');
    path = path.replaceAll('\\', '/');
  }
  if (path.startsWith('/')) reasons.add('leading-slash');

  const raw = path.split('/');
  const segments: string[] = [];
  raw.forEach((segment, index) => {
    const clean = cleanSegment(segment, index === 0, reasons);
    if (clean !== '') segments.push(clean);
    else if (!directory && index === raw.length - 1) segments.length = 0; // the file part is gone
  });
  if (segments.length === 0) {
    const detail = path === '' ? 'the key names the prefix itself' : `no usable name is left of "${key}"`;
    return { kind: 'skip', reason: 'empty-name', detail };
  }
  const name = segments.join('/') + (directory ? '/' : '');
  return { kind: 'name', name, directory, reasons: [...reasons] };
}

/** One path segment made safe, or '' when it has to be dropped. */
function cleanSegment(segment: string, first: boolean, reasons: Set<RenameReason>): string {
  if (segment === '') {
    if (!first) reasons.add('empty-segment');
    return '';
  }
  if (segment === '.' || segment === '..') {
    reasons.add('dot-segment');
    return '';
  }
  let clean = segment.replace(RESERVED_CHARACTERS, '_');
  if (clean !== segment) reasons.add('reserved-character');
  clean = replaceAll(clean, CONTROL_CHARACTERS, 'control-character', reasons);
  clean = replaceAll(clean, BIDI_CONTROLS, 'bidi-control', reasons);
  clean = replaceAll(clean, INVISIBLE_CHARACTERS, 'invisible-character', reasons);
  clean = replaceAll(clean, NONCHARACTERS, 'noncharacter', reasons);
  const trimmed = clean.replace(TRAILING_DOTS_AND_SPACES, '');
  if (trimmed !== clean) reasons.add('trailing-dot-or-space');
  clean = trimmed;
  const dot = clean.indexOf('.');
  const stem = dot === -1 ? clean : clean.slice(0, dot);
  if (DEVICE_NAME.test(stem.trimEnd())) {
    reasons.add('reserved-device-name');
    clean = `${stem}_${clean.slice(stem.length)}`;
  }
  const short = shortenSegment(clean);
  if (short !== clean) reasons.add('segment-too-long');
  return short;
}

/** `text` with every match of `pattern` (a global regex) replaced by '_', noting `reason` if any was. */
function replaceAll(text: string, pattern: RegExp, reason: RenameReason, reasons: Set<RenameReason>): string {
  const replaced = text.replace(pattern, '_');
  if (replaced !== text) reasons.add(reason);
  return replaced;
}
