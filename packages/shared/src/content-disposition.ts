/**
 * Content-Disposition header values for downloads (RFC 6266), with the file name both as a
 * plain ASCII `filename` for old user agents and, when the name is not plain ASCII, as an
 * RFC 5987 `filename*` that current browsers prefer (RFC 6266 §4.3).
 */

export type DispositionType = 'attachment' | 'inline';

/** Printable ASCII (0x20–0x7E): what may stand in a quoted-string as it is. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Unpaired UTF-16 surrogates cannot be encoded as UTF-8; they become U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `attachment; filename="résumé.pdf"` is not valid (RFC 7230 quoted-strings are not UTF-8),
 * so this returns `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`.
 * A name of plain printable ASCII gets only `filename="…"`. An empty name gives just the type.
 */
export function contentDisposition(fileName: string, type: DispositionType = 'attachment'): string {
  const name = fileName.replace(LONE_SURROGATE, '\ufffd');
  if (name === '') return type;
  const fallback = `${type}; filename="${asciiFallback(name)}"`;
  if (PLAIN_ASCII.test(name)) return fallback;
  return `${fallback}; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/**
 * The name as an RFC 7230 quoted-string body: every code point outside printable ASCII
 * (accents, CJK, emoji, control characters such as CR/LF) becomes one '_', and `"` and `\`
 * are escaped with a backslash.
 */
export function asciiFallback(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e) out += '_';
    else if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * RFC 5987 §3.2.1 value-chars: UTF-8 bytes, percent-encoded except attr-char
 * (ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~").
 * encodeURIComponent leaves ' ( ) * unescaped and escapes # $ & + ^ ` |; both are fixed here.
 */
export function encodeRfc5987(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'))
    .replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%(23|24|26|2B|5E|60|7C)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
