/**
 * Header value encoding of the CloudEvents HTTP binding, §3.1.3.2: space, double-quote,
 * percent and anything outside printable ASCII (U+0021–U+007E) are percent-encoded as
 * UTF-8 bytes; receivers unquote a double-quoted value first, then percent-decode once,
 * and reject byte sequences that are not valid UTF-8 (e.g. the overlong `%C0%A0`).
 */

const MUST_ENCODE = /[^\u0021-\u007e]|["%]/u;

export function encodeHeaderValue(value: string): string {
  if (!MUST_ENCODE.test(value)) return value;
  let out = '';
  for (const char of value) {
    if (MUST_ENCODE.test(char)) {
      for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** RFC 7230 §3.2.6 quoted-string: strip the quotes and undo backslash escapes. */
function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 2 || !trimmed.startsWith('"') || !trimmed.endsWith('"')) return trimmed;
  return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The decoded value, or undefined when the encoding is broken or not UTF-8. */
export function decodeHeaderValue(value: string): string | undefined {
  const text = unquote(value);
  if (!text.includes('%')) return text;
  if (/%(?![0-9a-fA-F]{2})/.test(text)) return undefined;
  let broken = false;
  const decoded = text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16));
    try {
      return strictUtf8.decode(bytes);
    } catch {
      broken = true;
      return '';
    }
  });
  return broken ? undefined : decoded;
}
