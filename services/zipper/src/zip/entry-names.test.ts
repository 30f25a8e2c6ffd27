import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { entryName } from './entry-names.js';

const names = suite('entryName');

names('is a function', () => assert.type(entryName, 'function'));

const cases: { key: string; prefix?: string; name: string; reasons?: string[]; directory?: boolean }[] = [
  { key: 'inbox/alice/b1/report.pdf', prefix: 'inbox/alice/b1/', name: 'report.pdf' },
  { key: 'inbox/alice/b1/sub dir/naïve café ☕.txt', prefix: 'inbox/alice/b1/', name: 'sub dir/naïve café ☕.txt' },
  { key: 'photos/2024/img.jpg', prefix: 'photos', name: '2024/img.jpg' },
  { key: 'photos2024/img.jpg', prefix: 'photos', name: '2024/img.jpg' },
  { key: 'a/../b', name: 'a/b', reasons: ['dot-segment'] },
  { key: './a/./b', name: 'a/b', reasons: ['dot-segment'] },
  { key: '../../etc/passwd', name: 'etc/passwd', reasons: ['dot-segment'] },
  { key: '/abs', name: 'abs', reasons: ['leading-slash'] },
  { key: '//abs//x', name: 'abs/x', reasons: ['leading-slash', 'empty-segment'] },
  { key: 'C:\\x', name: 'C_/x', reasons: ['backslash', 'reserved-character'] },
  { key: 'dir\\sub\\file.txt', name: 'dir/sub/file.txt', reasons: ['backslash'] },
  { key: 'con.txt', name: 'con_.txt', reasons: ['reserved-device-name'] },
  { key: 'CON', name: 'CON_', reasons: ['reserved-device-name'] },
  { key: 'nul/aux.tar.gz', name: 'nul_/aux_.tar.gz', reasons: ['reserved-device-name'] },
  { key: 'COM1.log', name: 'COM1_.log', reasons: ['reserved-device-name'] },
  { key: 'lpt9', name: 'lpt9_', reasons: ['reserved-device-name'] },
  { key: 'console.txt', name: 'console.txt' },
  { key: 'com10.txt', name: 'com10.txt' },
  { key: 'what?<>:"|*.txt', name: 'what_______.txt', reasons: ['reserved-character'] },
  { key: 'line\nbreak\u0000\u007f.txt', name: 'line_break__.txt', reasons: ['control-character'] },
  { key: 'trailing. . ', name: 'trailing', reasons: ['trailing-dot-or-space'] },
  { key: 'dir. /file', name: 'dir/file', reasons: ['trailing-dot-or-space'] },
  { key: ' leading space kept', name: ' leading space kept' },
  { key: 'caf\u00e9.txt', name: 'caf\u00e9.txt' },
  { key: 'cafe\u0301.txt', name: 'caf\u00e9.txt', reasons: ['unicode-normalized'] },
  { key: '日本語/ファイル.txt', name: '日本語/ファイル.txt' },
  { key: 'emoji 😀.txt', name: 'emoji 😀.txt' },
  { key: 'bad\ud800.txt', name: 'bad\ufffd.txt', reasons: ['invalid-unicode'] },
  { key: 'folder/', name: 'folder/', directory: true },
  { key: 'a/./folder/', name: 'a/folder/', directory: true, reasons: ['dot-segment'] },
  { key: 'elsewhere/x.txt', prefix: 'inbox/', name: 'elsewhere/x.txt', reasons: ['outside-prefix'] },
  { key: 'c1\u0085\u009f.txt', name: 'c1__.txt', reasons: ['control-character'] },
  { key: 'cr\r.txt', name: 'cr_.txt', reasons: ['control-character'] },
  { key: 'invoice\u202Etxt.exe', name: 'invoice_txt.exe', reasons: ['bidi-control'] },
  { key: '\u2066a\u2069\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068', name: '_a__________', reasons: ['bidi-control'] },
  { key: 'zero\u200bwidth\ufeff\u00ad\u2060.txt', name: 'zero_width___.txt', reasons: ['invisible-character'] },
  { key: 'tag\u{E0041}.txt', name: 'tag_.txt', reasons: ['invisible-character'] },
  { key: 'نامه\u200cها/👩\u200d💻.txt', name: 'نامه\u200cها/👩\u200d💻.txt' },
  { key: 'non\uFFFE\uFFFF\uFDD0\u{1FFFF}.txt', name: 'non____.txt', reasons: ['noncharacter'] },
  { key: 'a\u0001&<b>.txt', name: 'a_&_b_.txt', reasons: ['reserved-character', 'control-character'] },
];

names('applies the name rules', () => {
  for (const c of cases) {
    const result = entryName(c.key, c.prefix);
    assert.equal(
      result,
      { kind: 'name', name: c.name, directory: c.directory ?? false, reasons: c.reasons ?? [] },
      `${JSON.stringify(c.key)} under ${JSON.stringify(c.prefix ?? '')}`,
    );
  }
});

names('cuts each segment to 255 UTF-8 bytes, with a hash before the extension', () => {
  const long = `${'x'.repeat(300)}.txt`;
  const result = entryName(`dir/${long}`);
  assert.is(result.kind, 'name');
  if (result.kind !== 'name') return;
  assert.equal(result.reasons, ['segment-too-long']);
  const file = result.name.split('/')[1]!;
  assert.is(Buffer.byteLength(file), 255);
  assert.match(file, /^x+~[0-9a-f]{8}\.txt$/);
  // Two names alike in their first 300 bytes still differ after the cut.
  const other = entryName(`dir/${'x'.repeat(300)}y.txt`);
  assert.ok(other.kind === 'name' && other.name !== result.name);
  // Every segment, folders too; multi-byte characters are never split.
  const folder = entryName(`${'é'.repeat(200)}/${'日'.repeat(100)}`);
  assert.is(folder.kind, 'name');
  if (folder.kind !== 'name') return;
  for (const segment of folder.name.split('/')) {
    assert.ok(Buffer.byteLength(segment) <= 255, segment);
    assert.not.ok(segment.includes('\ufffd'));
  }
  // 255 bytes exactly is kept; a 304-byte segment (the size that broke unzip) is not.
  assert.equal(entryName('a'.repeat(255)), { kind: 'name', name: 'a'.repeat(255), directory: false, reasons: [] });
  const r304 = entryName(`${'b'.repeat(300)}.bin`);
  assert.ok(r304.kind === 'name' && Buffer.byteLength(r304.name) === 255 && r304.name.endsWith('.bin'));
  // A very long "extension" is not kept whole.
  const dotted = entryName(`a.${'e'.repeat(300)}`);
  assert.ok(dotted.kind === 'name' && Buffer.byteLength(dotted.name) === 255);
});

names('skips keys with no usable name left, saying why', () => {
  for (const [key, prefix] of [['inbox/b1/', 'inbox/b1/'], ['', ''], ['a/b/..', ''], ['docs/...', ''], ['/', ''], ['. /', '']] as const) {
    const result = entryName(key, prefix);
    assert.is(result.kind, 'skip', JSON.stringify(key));
    if (result.kind === 'skip') {
      assert.is(result.reason, 'empty-name');
      assert.ok(result.detail.length > 0);
    }
  }
});

names('never yields an absolute, backslashed or dotted path', () => {
  const nasty = ['../a', 'a/..', '/../../x', '..\\..\\x', 'a/./../b/', '.\\.\\', '...', 'x/.../y', '\\\\server\\share\\f'];
  for (const key of nasty) {
    const result = entryName(key);
    if (result.kind === 'skip') continue;
    const segments = result.name.replace(/\/$/, '').split('/');
    assert.not.ok(result.name.startsWith('/') || result.name.includes('\\'), result.name);
    assert.ok(segments.every((s) => s !== '' && s !== '.' && s !== '..'), result.name);
  }
});

names.run();
