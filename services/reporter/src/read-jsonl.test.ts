import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readJsonLines } from './read-jsonl.js';
import type { BadLine, SourceRow } from './source-row.js';

async function readAll(chunks: Buffer[], { maxLineBytes }: { maxLineBytes?: number } = {}) {
  const rows: SourceRow[] = [];
  const bad: BadLine[] = [];
  for await (const row of readJsonLines(chunks, { onBadLine: (b) => bad.push(b), ...(maxLineBytes ? { maxLineBytes } : {}) })) rows.push(row);
  return { rows, bad };
}

const jsonl = suite('readJsonLines');

jsonl('is a function', () => assert.type(readJsonLines, 'function'));

jsonl('one object per line, with their line numbers; BOM, CRLF and blank lines tolerated', async () => {
  const { rows, bad } = await readAll([Buffer.from('\uFEFF{"a":1}\r\n\n{"a":"Ж"}\n{"a":null}')]);
  assert.equal(bad, []);
  assert.equal(rows, [
    { line: 1, record: { a: 1 } },
    { line: 3, record: { a: 'Ж' } },
    { line: 4, record: { a: null } },
  ]);
});

jsonl('lines and characters split across chunks are joined', async () => {
  const bytes = Buffer.from('{"word":"ἀλήθεια"}\n{"word":"правда"}\n');
  const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  const { rows } = await readAll(chunks);
  assert.equal(rows.map((r) => r.record.word), ['ἀλήθεια', 'правда']);
});

jsonl('bad lines are reported with their numbers: not JSON, not an object, too long', async () => {
  const { rows, bad } = await readAll([Buffer.from(`{"ok":1}\n{oops\n[1,2]\n{"long":"${'x'.repeat(100)}"}\n{"ok":2}\n`)], { maxLineBytes: 64 });
  assert.equal(rows.map((r) => r.line), [1, 5]);
  assert.equal(bad.map((b) => b.line), [2, 3, 4]);
  assert.match(bad[0]!.reason, /not JSON/);
  assert.match(bad[1]!.reason, /not an array/);
  assert.match(bad[2]!.reason, /longer than 64 bytes/);
});

jsonl.run();
