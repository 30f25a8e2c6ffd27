import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from './config/index.js';
import { silentLogger } from './logger.js';
import { createAdapters, usesLocalStorage } from './wiring.js';

const wiring = suite('createAdapters');

wiring('is a function', () => {
  assert.type(createAdapters, 'function');
});

wiring('local mode: memory bus and store, a local folder for objects that round-trips bytes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ap-wiring-'));
  try {
    const config = loadConfig({ BUS: 'memory', AUTH_MODE: 'none', LOCAL_DATA_DIR: dir });
    assert.ok(usesLocalStorage(config));
    const adapters = await createAdapters(config, { logger: silentLogger(), service: 'test' });
    assert.ok(adapters.localObjects, 'local object store exposed for the download handler');
    await adapters.objects.ensureBucket('artifacts');
    await adapters.objects.put('artifacts', 'a/b.txt', Readable.from([Buffer.from('hello')]));
    const chunks: Buffer[] = [];
    for await (const c of await adapters.objects.get('artifacts', 'a/b.txt')) chunks.push(c as Buffer);
    assert.is(Buffer.concat(chunks).toString(), 'hello');
    const { job } = await adapters.jobs.create({ id: 'j1', type: 'zip', owner: 'o', input: {} });
    assert.is(job.status, 'queued');
    assert.ok(await adapters.leases.acquire('job:j1', 'me', 1000));
    await adapters.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

wiring('an AWS endpoint with the memory bus means S3, not the local folder', () => {
  const config = loadConfig({ BUS: 'memory', AUTH_MODE: 'none', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
  assert.not.ok(usesLocalStorage(config));
});

wiring.run();
