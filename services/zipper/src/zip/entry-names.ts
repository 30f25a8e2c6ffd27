/**
 * From an S3 key to a ZIP entry name that is safe to extract on Windows, macOS and Linux
 * (DESIGN §7): relative to the prefix, '/'-separated (APPNOTE 4.4.17.1), no leading '/',
 * no '.' or '..' segments, no characters or device names Windows refuses. Each change is
 * reported so the job's manifest can say why a name differs from its key. Collisions are
 * the NameAllocator's business (name-allocator.ts).
 */

export type RenameReason =
  | 'outside-prefix' // the key does not start with the prefix: the whole key is the name
  | 'leading-slash' // '/a' became 'a'
  | 'backslash' // '\' became '/', as Windows would read it
  | 'empty-segment' // 'a//b' became 'a/b'
  | 'dot-segment' // '.' and '..' segments were dropped (not resolved): 'a/../b' became 'a/b'
  | 'reserved-character' // one of < > : " | ? * became '_'
  | 'control-character' // U+0000–U+001F or U+007F became '_'
  | 'trailing-dot-or-space' // Windows drops them itself, so 'a. ' and 'a' would clash
  | 'reserved-device-name' // CON, PRN, AUX, NUL, COM0–9, LPT0–9 (with any extension) got '_'
  | 'unicode-normalized' // rewritten in NFC, the form Windows and Linux tools expect
  | 'invalid-unicode' // a lone UTF-16 surrogate became U+FFFD
  | 'collision'; // another entry had the name (case-insensitively): ' (n)' was added

export type SkipReason =
  | 'empty-name' // nothing is left of the name (the prefix's own folder marker, 'a/..', '...')
  | 'folder-with-data' // a key ending in '/' that holds bytes: it cannot be a file and a folder
  | 'duplicate-folder'; // a folder entry with this name (case-insensitively) was already written

export type EntryNameResult =
  | { kind: 'name'; name: string; directory: boolean; reasons: RenameReason[] }
  | { kind: 'skip'; reason: SkipReason; detail: string };

const RESERVED_CHARACTERS = /[<>:"|?*]/g;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
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
  const before = clean;
  clean = clean.replace(CONTROL_CHARACTERS, '_');
  if (clean !== before) reasons.add('control-character');
  const trimmed = clean.replace(TRAILING_DOTS_AND_SPACES, '');
  if (trimmed !== clean) reasons.add('trailing-dot-or-space');
  clean = trimmed;
  const dot = clean.indexOf('.');
  const stem = dot === -1 ? clean : clean.slice(0, dot);
  if (DEVICE_NAME.test(stem.trimEnd())) {
    reasons.add('reserved-device-name');
    clean = `${stem}_${clean.slice(stem.length)}`;
  }
  return clean;
}
