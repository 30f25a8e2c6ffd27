import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { buildArchive } from '../../test-support/collect.js';
import { archiveSizeBound, deflatedSizeBound } from './archive-size.js';

const bound = suite('archiveSizeBound');

bound('is a function', () => assert.type(archiveSizeBound, 'function'));

bound('is at least the real size, and within bytes of it for stored data', async () => {
  const noise = randomBytes(2 * 1024 * 1024);
  const files = [
    { name: 'ünï/noise.bin', content: noise, method: 'store' as const },
    { name: 'noise.deflated', content: noise, method: 'deflate' as const },
    { name: 'empty.txt', content: '', method: 'deflate' as const },
    { name: 'text.txt', content: 'abc\n'.repeat(10_000), method: 'deflate' as const },
  ];
  const actual = (await buildArchive([...files, 'folder/'])).length;
  const planned = [...files.map((f) => ({ name: f.name, size: Buffer.byteLength(f.content), method: f.method })), { name: 'folder/', size: 0, method: 'store' as const }];
  const limit = archiveSizeBound(planned);
  assert.ok(limit >= actual, `${limit} ≥ ${actual}`);
  const stored = files.filter((f) => f.method === 'store');
  const storedActual = (await buildArchive(stored)).length;
  const storedLimit = archiveSizeBound(stored.map((f) => ({ name: f.name, size: f.content.length, method: f.method })));
  assert.ok(storedLimit >= storedActual && storedLimit - storedActual < 200, `${storedLimit} is close to ${storedActual}`);
});

bound('deflate growth stays under the bound even for 1,000-byte writes of random data', async () => {
  const noise = randomBytes(8 * 1024 * 1024);
  const pieces = Array.from({ length: Math.ceil(noise.length / 1000) }, (_, i) => noise.subarray(i * 1000, (i + 1) * 1000));
  const { createZipWriter } = await import('./zip-writer.js');
  const { Readable } = await import('node:stream');
  for (const deflateLevel of [0, 1, 6, 9]) {
    const writer = createZipWriter({ deflateLevel });
    writer.output.resume();
    const result = await writer.addEntry({ name: 'n', size: noise.length, method: 'deflate', source: Readable.from(pieces) });
    await writer.finish();
    assert.ok(result.compressedSize <= deflatedSizeBound(noise.length), `level ${deflateLevel}: ${result.compressedSize}`);
  }
});

bound.run();
