/**
 * Requests larger than the bus takes, through the four processes (pipeline-processes-support.ts)
 * at the transports' default limits (SQS 256 KiB, Kafka's broker 1 MB): ingest stores the
 * request at `requests/{jobId}.json`, the worker reads it back, the job completes with the
 * bytes asked for, and the stored request is gone once the job has ended.
 *
 * `bigRequestCases(transport, sizes)`: the normal lane runs a 1.5 MB key list (1,500 keys of
 * ~1,000 bytes, three of them real objects, the rest missing and filed as skipped) and 20,000
 * inline rows; the slow lane (claim-check-limits.slow.test.ts) the documented limits, 100,000
 * keys and 100,000 rows.
 */
import { Readable } from 'node:stream';
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { createS3Clients } from '@artifact-pipeline/shared/adapters/s3-client';
import { ensureExpiryRule } from '@artifact-pipeline/shared/adapters/s3-lifecycle-setup';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseZip } from '../../services/zipper/test-support/zip-parse.js';
import { unzip } from '../../services/reporter/src/unzip-for-tests.js';
import { awsTestConfig, servers, waitFor, withDeadline } from '../harness/support.js';
import { OWNER, createPipeline, guardedCase, type PipelineCtx, download, post, submit, untilFinished, type ApiJob, type Pipeline, type Transport } from './pipeline-processes-support.js';

export interface BigSizes {
  /** Keys in the list. */
  keys: number;
  /** Bytes of each key (at most 1,024). */
  keyBytes: number;
  /** Inline rows. */
  rows: number;
  /** Bytes of each row's `note` (100,000 rows must stay under the 10 MiB body limit). */
  noteBytes: number;
  /** Deadline per job, ms. */
  jobTimeoutMs: number;
}

type Ctx = PipelineCtx;

/** Polls until `requests/{id}.json` is gone from the run's bucket (it is deleted after the final event). */
async function untilRequestGone(p: Pipeline, id: string): Promise<void> {
  await waitFor(async () => (await p.objects.head(p.bucket, `requests/${id}.json`)) === undefined, `requests/${id}.json to be deleted`, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
}

function storedLine(p: Pipeline, id: string): boolean {
  return p.processes.ingest.output().split('\n').some((line) => line.includes(id) && line.includes('request stored in S3'));
}

/** ingest's log line for the stored request (its output arrives through a pipe, so waited for). */
async function untilStoredLine(p: Pipeline, id: string): Promise<void> {
  await waitFor(async () => storedLine(p, id), `ingest to log that the request of ${id} was stored in S3`, { timeoutMs: 10_000, intervalMs: 100 });
}

export function bigRequestCases(transport: Transport, sizes: BigSizes): void {
  const test = suite<Ctx>(`requests larger than ${transport} messages (${sizes.keys} keys, ${sizes.rows} rows)`, {});
  test.after(async (ctx) => {
    await ctx.pipeline?.close();
  });
  const guarded = guardedCase(test, 20_000);

  test('the four processes start', async (ctx) => {
    const p = (ctx.pipeline = createPipeline(transport));
    await withDeadline(p.start(), 170_000, 'the four processes to start').catch((err: Error) => {
      throw new Error(`${err.message}\n${p.outputs()}`);
    });
    ctx.up = true;
  });

  guarded('artifacts provision made the rule that expires requests/ after 14 days, keeping other rules', async (p) => {
    const connection = awsTestConfig(servers().awsEndpointUrl);
    const s3 = createS3Clients(connection);
    try {
      const rules = async () => (await s3.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: p.bucket }))).Rules ?? [];
      const expiry = (await rules()).find((r) => r.ID === 'expire-requests');
      assert.is(expiry?.Status, 'Enabled');
      assert.is(expiry?.Filter?.Prefix, 'requests/');
      assert.is(expiry?.Expiration?.Days, 14);
      assert.is(await ensureExpiryRule({ ...connection, bucket: p.bucket, prefix: 'requests/', days: 14 }), 'found', 'a second provision changes nothing');
      const other = { ID: 'keep-me', Status: 'Enabled' as const, Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 } };
      await s3.client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: p.bucket, LifecycleConfiguration: { Rules: [other] } }));
      assert.is(await ensureExpiryRule({ ...connection, bucket: p.bucket, prefix: 'requests/', days: 14 }), 'created');
      assert.equal((await rules()).map((r) => r.ID).sort(), ['expire-requests', 'keep-me']);
    } finally {
      s3.destroy();
    }
  });

  guarded(`a key list of ${sizes.keys} keys is accepted (202, not 503 PUBLISH_FAILED) and zipped`, async (p) => {
    // In the token owner's own area: a non-admin may read no other (docs/auth.md "Source access").
    const folder = `inbox/${OWNER}/big-${p.name}/`;
    // Long keys are made of segments of at most 200 bytes, so each entry keeps its key as its
    // name (a segment over 255 bytes would be shortened: docs/zip-format.md).
    const pad = (i: number): string => {
      const head = `${folder}${String(i).padStart(6, '0')}-`;
      const fill = 'k'.repeat(Math.max(1, sizes.keyBytes - head.length - 4));
      return `${head}${fill.replace(/(.{199})(?=.)/g, '$1/')}.txt`;
    };
    const keys = Array.from({ length: sizes.keys }, (_, i) => pad(i));
    const real = new Map([0, Math.floor(sizes.keys / 2), sizes.keys - 1].map((i) => [keys[i]!, Buffer.from(`object number ${i}\n`)] as const));
    for (const [key, body] of real) await p.objects.put(p.bucket, key, Readable.from([body]));
    const body = { source: { keys }, name: 'many' };
    assert.ok(JSON.stringify(body).length > 300_000, 'the request is larger than an SQS message');

    const queued = await submit(p, '/v1/zip-jobs', body);
    await untilStoredLine(p, queued.id);
    const job = await untilFinished(p, queued.id, sizes.jobTimeoutMs);
    assert.match(job.output!.key, /\/many\.zip$/);
    const { bytes } = await download(p, queued.id);
    const entries = parseZip(bytes).entries.filter((e) => !e.central.name.endsWith('/'));
    assert.equal(entries.map((e) => e.central.name).sort(), [...real.keys()].sort(), 'the keys that exist, and only those');
    for (const e of entries) assert.ok(e.content.equals(real.get(e.central.name)!), `${e.central.name.slice(-30)}: the same bytes`);
    const manifest = (job as ApiJob & { manifest?: { included: number; skippedTotal?: number; skipped: unknown[] } }).manifest;
    assert.is(manifest?.included, real.size);
    assert.is(manifest?.skippedTotal, sizes.keys - real.size, 'the missing keys are filed as skipped');
    assert.ok(JSON.stringify(manifest).length < 128 * 1024, 'the manifest in the event stays small');
    await untilRequestGone(p, queued.id);
  });

  guarded(`${sizes.rows} inline rows become an XLSX with every row`, async (p) => {
    const rows = Array.from({ length: sizes.rows }, (_, i) => ({ n: i + 1, city: `city ${i + 1}`, note: 'x'.repeat(sizes.noteBytes) }));
    const body = {
      format: 'xlsx',
      name: 'rows',
      columns: [{ key: 'n', header: 'N', type: 'number' }, { key: 'city', header: 'City' }, { key: 'note', header: 'Note' }],
      rows,
    };
    assert.ok(JSON.stringify(body).length > 1_048_576, 'the request is larger than any SQS or default Kafka message');
    const queued = await submit(p, '/v1/reports', body);
    await untilStoredLine(p, queued.id);
    const job = await untilFinished(p, queued.id, sizes.jobTimeoutMs);
    assert.match(job.output!.key, /\/rows\.xlsx$/);
    const { bytes } = await download(p, queued.id);
    const sheets = unzip(bytes).filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
    const xml = sheets.map((e) => e.data.toString('utf8')).join('');
    const numbers = [...xml.matchAll(/<c r="A\d+"[^>]*><v>(\d+)<\/v><\/c>/g)].map((m) => Number(m[1]));
    assert.is(numbers.length, sizes.rows, 'one numbered row per row sent');
    assert.is(numbers[numbers.length - 1], sizes.rows, 'the last row is there');
    await untilRequestGone(p, queued.id);
  });

  guarded('a small request is sent whole: nothing is stored under requests/', async (p) => {
    const res = await post(p, '/v1/reports', { format: 'pdf', columns: [{ key: 'a', header: 'A' }], rows: [{ a: 1 }] });
    assert.is(res.status, 202, await res.clone().text());
    const queued = (await res.json()) as ApiJob;
    p.jobIds.push(queued.id);
    await untilFinished(p, queued.id, sizes.jobTimeoutMs);
    assert.not.ok(storedLine(p, queued.id), 'no request stored');
    assert.is(await p.objects.head(p.bucket, `requests/${queued.id}.json`), undefined);
  });

  test.run();
}
