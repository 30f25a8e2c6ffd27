import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { asciiFallback, contentDisposition, encodeRfc5987 } from './content-disposition.js';

/** What a browser does with filename* (RFC 5987): percent-decode the UTF-8 bytes. */
function decodeExtended(header: string): string | undefined {
  const match = /filename\*=UTF-8''([^;\s]+)/.exec(header);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

const disposition = suite('contentDisposition');

disposition('is a function', () => {
  assert.type(contentDisposition, 'function');
});

disposition('plain ASCII names get only the quoted filename', () => {
  assert.is(contentDisposition('report.pdf'), 'attachment; filename="report.pdf"');
  assert.is(contentDisposition('Q1 report (final).xlsx'), 'attachment; filename="Q1 report (final).xlsx"');
});

disposition('inline is honoured', () => {
  assert.is(contentDisposition('a.pdf', 'inline'), 'inline; filename="a.pdf"');
});

disposition('quotes and backslashes are escaped in the quoted filename', () => {
  assert.is(contentDisposition('say "hi"\\there.txt'), 'attachment; filename="say \\"hi\\"\\\\there.txt"');
});

disposition('accents: ASCII fallback with underscores plus filename* in UTF-8', () => {
  const header = contentDisposition('Résumé été.pdf');
  assert.is(header, `attachment; filename="R_sum_ _t_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%C3%A9t%C3%A9.pdf`);
  assert.is(decodeExtended(header), 'Résumé été.pdf');
});

disposition('CJK and emoji: one underscore per character, exact round-trip', () => {
  const header = contentDisposition('報告書 📊.zip');
  assert.ok(header.startsWith('attachment; filename="___ _.zip"; filename*=UTF-8\'\''), header);
  assert.is(decodeExtended(header), '報告書 📊.zip');
});

disposition('non-ASCII with quotes keeps both forms valid', () => {
  const header = contentDisposition('“final” "draft" ü.txt');
  assert.ok(header.includes('filename="_final_ \\"draft\\" _.txt"'), header);
  assert.is(decodeExtended(header), '“final” "draft" ü.txt');
});

disposition('control characters never reach the header (no header injection)', () => {
  const header = contentDisposition('a\r\nSet-Cookie: x=1.txt');
  assert.not.match(header, /[\r\n]/);
  assert.is(decodeExtended(header), 'a\r\nSet-Cookie: x=1.txt');
});

disposition('the header is plain ASCII whatever the name', () => {
  for (const name of ['naïve', '日本語', '\u{1f600}', 'x\ud800y']) {
    assert.match(contentDisposition(name), /^[\x20-\x7e]+$/);
  }
});

disposition('an unpaired surrogate becomes U+FFFD instead of throwing', () => {
  assert.is(decodeExtended(contentDisposition('x\ud800y')), 'x\ufffdy');
});

disposition('an empty name gives the bare type', () => {
  assert.is(contentDisposition(''), 'attachment');
});

disposition.run();

const fallback = suite('asciiFallback');

fallback('is a function', () => {
  assert.type(asciiFallback, 'function');
});

fallback('replaces each code point (not each UTF-16 unit) once', () => {
  assert.is(asciiFallback('a😀b'), 'a_b');
  assert.is(asciiFallback('tab\there'), 'tab_here');
});

fallback.run();

const rfc5987 = suite('encodeRfc5987');

rfc5987('is a function', () => {
  assert.type(encodeRfc5987, 'function');
});

rfc5987('keeps attr-char and encodes everything else', () => {
  assert.is(encodeRfc5987("!#$&+-.^_`|~"), "!#$&+-.^_`|~");
  assert.is(encodeRfc5987("a b'(x)*%;,=\""), 'a%20b%27%28x%29%2A%25%3B%2C%3D%22');
  assert.is(encodeRfc5987('€'), '%E2%82%AC');
});

rfc5987.run();
