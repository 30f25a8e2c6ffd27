import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { withDeadline } from '../../../../test/harness/support.js';
import { createZipWriter } from './zip-writer.js';
import { createZipOutput } from '@artifact-pipeline/shared/zip/index';

const ENTRY_BYTES = 8 * 1024 * 1024;
/** What may sit between the source and the consumer: 64 KiB high-water mark, pieces, zlib. */
const IN_FLIGHT_BOUND = 1024 * 1024;

interface Ctx {
  block: Buffer;
}

const output = suite<Ctx>('createZipOutput', { block: randomBytes(64 * 1024) });

output('counts what it hands on and ends the stream', async () => {
  const out = createZipOutput();
  const read = out.stream.toArray();
  await out.write(Buffer.from('abc'));
  await out.write(new Uint8Array(200 * 1024));
  out.end();
  const chunks = (await read) as Buffer[];
  assert.is(out.bytesWritten, 3 + 200 * 1024);
  assert.is(Buffer.concat(chunks).length, out.bytesWritten);
});

function readableOrEnd(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('readable', done).off('end', done);
      resolve();
    };
    stream.on('readable', done).on('end', done);
  });
}

/** Lets the event loop run `n` times, so a writer that ignores backpressure would run ahead. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A consumer that reads one buffer at a time and lets the writer run in between: the bytes
 * taken from the source but not yet read stay under a bound far below the entry size.
 */
for (const method of ['store', 'deflate'] as const) {
  output(`holds a bounded amount while the consumer is slow (${method})`, async ({ block }) => {
    const writer = createZipWriter({ highWaterMark: 64 * 1024 });
    let pulled = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (let sent = 0; sent < ENTRY_BYTES; sent += block.length) {
        pulled += block.length;
        yield block;
      }
    }
    const out = writer.output;
    let ended = false;
    out.once('end', () => (ended = true));
    const written = writer
      .addEntry({ name: 'big.bin', size: ENTRY_BYTES, method, source: Readable.from(source()) })
      .then(() => writer.finish());
    let received = 0;
    let worst = 0;
    await withDeadline(
      (async () => {
        while (!ended) {
          await turns(20);
          worst = Math.max(worst, pulled - received);
          const chunk = out.read() as Buffer | null;
          if (chunk) received += chunk.length;
          else if (!ended) await readableOrEnd(out);
        }
      })(),
      30_000,
      'reading the archive',
    );
    await written;
    assert.is(pulled, ENTRY_BYTES);
    assert.ok(received > ENTRY_BYTES);
    assert.ok(worst < IN_FLIGHT_BOUND, `${worst} bytes were in flight`);
  });
}

output.run();
