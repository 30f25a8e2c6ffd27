/**
 * The whole pipeline as it is deployed: ingest, zipper, reporter and status as four separate
 * processes (`node --conditions=source --import tsx services/<name>/src/main.ts`), configured
 * only by their environment, against the real servers (moto S3 + SQS, Kafka, Redis). A user
 * drives it over HTTP with an HS256 bearer token: POST to ingest, poll and download from
 * status.
 *
 * Each run owns its queue / topic prefix, its bucket and its Kafka client id and consumer
 * groups. The configuration has no Redis key prefix (load-config.ts reads none), so the
 * processes share the server's `ap:` keys: job ids are UUIDs, and `close()` deletes what the
 * run's jobs left (job hash, lease, owner and job indexes).
 *
 * Provisioning is what a deploy runs: `artifacts provision`, a process of its own with the
 * same environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { DeleteQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { parseZip } from '../../services/zipper/test-support/zip-parse.js';
import { unzip } from '../../services/reporter/src/unzip-for-tests.js';
import { awsTestConfig, servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { openpyxlFull } from '../interop/xlsx-tools.js';
import { REPO, freePort } from './local-mode-support.js';

export type Transport = 'sqs' | 'kafka';
export type ServiceName = 'ingest' | 'zipper' | 'reporter' | 'status';

/** AUTH_JWT_SECRET of every process (at least 32 characters, load-config.ts). */
export const JWT_SECRET = 'pipeline-e2e-secret-0123456789abcdef';
export const OWNER = 'alice';
const SERVICES: readonly ServiceName[] = ['ingest', 'zipper', 'reporter', 'status'];
const OUTPUT_LIMIT = 200_000;

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/** The environment every process of one run gets, and nothing else. */
export function pipelineEnv(transport: Transport, run: { busPrefix: string; bucket: string }, extra: Record<string, string> = {}): Record<string, string> {
  const { redisUrl, kafkaBrokers, awsEndpointUrl } = servers();
  return {
    PATH: process.env.PATH ?? '',
    BUS: transport,
    QUEUE_NAME_PREFIX: run.busPrefix,
    ...(transport === 'kafka' ? { TOPIC_PREFIX: run.busPrefix, KAFKA_BROKERS: kafkaBrokers.join(','), KAFKA_CLIENT_ID: run.busPrefix.replace(/-$/, '') } : {}),
    AWS_ENDPOINT_URL: awsEndpointUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3_FORCE_PATH_STYLE: 'true',
    ARTIFACTS_BUCKET: run.bucket,
    REDIS_URL: redisUrl,
    AUTH_MODE: 'jwt',
    AUTH_JWT_SECRET: JWT_SECRET,
    DOWNLOAD_URL_TTL_SECONDS: '900',
    MAX_ATTEMPTS: '3',
    SHUTDOWN_GRACE_SECONDS: '10',
    LOG_LEVEL: 'info',
    OTEL_SDK_DISABLED: 'true',
    ...extra,
  };
}

/** Spawns one process from the sources; its output is kept (the last 200 kB) for failures. */
function isJsonLogLine(line: string): boolean {
  try {
    const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
    return typeof parsed.level === 'number' && typeof parsed.msg === 'string';
  } catch {
    return false;
  }
}

export function spawnNode(name: string, args: string[], env: Record<string, string>, url = ''): ServiceProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    url,
    exited,
    output: () => output,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      try {
        return await withDeadline(exited, graceMs, `${name} to exit on SIGTERM`);
      } catch {
        child.kill('SIGKILL');
        return exited;
      }
    },
  };
}

/**
 * The environment of a lone worker (zipper or reporter) over SQS against the run's queues
 * and artifacts bucket, as tests that kill or drain one use it.
 */
export function workerEnv(
  run: { busPrefix: string; artifactsBucket: string; sourceBucket?: string },
  { graceSeconds = 5, logLevel = 'warn' }: { graceSeconds?: number; logLevel?: string } = {},
): Record<string, string> {
  const { redisUrl, awsEndpointUrl } = servers();
  return {
    PATH: process.env.PATH ?? '',
    BUS: 'sqs',
    QUEUE_NAME_PREFIX: run.busPrefix,
    AWS_ENDPOINT_URL: awsEndpointUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3_FORCE_PATH_STYLE: 'true',
    ARTIFACTS_BUCKET: run.artifactsBucket,
    REDIS_URL: redisUrl,
    LOG_LEVEL: logLevel,
    OTEL_SDK_DISABLED: 'true',
    SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
    // The shared configuration checks auth for every service; workers serve no API.
    AUTH_MODE: 'none',
    // The run's source bucket is readable by every owner, as the in-process worlds grant it.
    ...(run.sourceBucket
      ? { ALLOWED_SOURCE_BUCKETS: run.sourceBucket, SOURCE_GRANTS: JSON.stringify([{ bucket: run.sourceBucket, prefix: '' }]) }
      : {}),
  };
}

/** Spawns `services/<service>/src/main.ts` on a free port (not yet waited for: see untilHealthy). */
export async function spawnService(service: ServiceName, env: Record<string, string>, label: string = service): Promise<ServiceProcess> {
  const port = await freePort();
  return spawnNode(label, [`services/${service}/src/main.ts`], { ...env, PORT: String(port) }, `http://127.0.0.1:${port}`);
}

/** Resolves once the process answers GET /healthz with 200; an error with its output otherwise. */
export async function untilHealthy(proc: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}`);
      const res = await fetch(`${proc.url}/healthz`);
      if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}`);
      return true;
    },
    `${proc.name} to answer GET /healthz`,
    { timeoutMs, intervalMs: 250 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${proc.name} output:\n${proc.output()}`);
  });
}

/** `artifacts provision` with the run's environment: queues/topics with dead letters, the bucket. */
export async function provision(env: Record<string, string>): Promise<string> {
  const proc = spawnNode('provision', ['packages/cli/src/main.ts', 'provision'], env);
  const code = await withDeadline(proc.exited, 90_000, 'artifacts provision to finish').catch(async (err: Error) => {
    await proc.stop(1_000);
    throw new Error(`${err.message}\n${proc.output()}`);
  });
  if (code !== 0) throw new Error(`artifacts provision exited with ${code}:\n${proc.output()}`);
  return proc.output();
}

export interface Pipeline {
  transport: Transport;
  name: string;
  busPrefix: string;
  bucket: string;
  objects: S3ObjectStore;
  processes: Record<ServiceName, ServiceProcess>;
  token: string;
  /** Ids of the jobs this run created (for the Redis clean-up). */
  jobIds: string[];
  /** Every process's output, for a failure message. */
  outputs(): string;
  close(): Promise<void>;
}

/**
 * The run's names and clients; `start()` provisions and starts the four processes. Every
 * process is tracked as soon as it is spawned, so `close()` also ends a half-started run.
 */
export function createPipeline(transport: Transport): Pipeline & { start(): Promise<void> } {
  const { awsEndpointUrl } = servers();
  const name = uniqueName(`pipe-${transport}`);
  const busPrefix = `${name}-`;
  const bucket = name;
  const env = pipelineEnv(transport, { busPrefix, bucket });
  const objects = createS3ObjectStore(awsTestConfig(awsEndpointUrl));
  const started: Partial<Record<ServiceName, ServiceProcess>> = {};
  const jobIds: string[] = [];
  let closed = false;
  const outputs = (): string =>
    SERVICES.filter((s) => started[s]).map((s) => `--- ${s} output:\n${started[s]!.output()}`).join('\n');
  return {
    transport, name, busPrefix, bucket, objects, token: '', jobIds, outputs,
    processes: started as Record<ServiceName, ServiceProcess>,
    async start() {
      this.token = await issueToken({ secret: JWT_SECRET, subject: OWNER });
      await provision(env);
      for (const s of SERVICES) {
        if (closed) throw new Error('the run was closed while starting');
        started[s] = await spawnService(s, env);
      }
      await Promise.all(SERVICES.map((s) => untilHealthy(started[s]!)));
    },
    async close() {
      closed = true;
      const codes = await Promise.all(SERVICES.map(async (s) => [s, await started[s]?.stop(20_000)] as const));
      for (const [s, code] of codes) if (started[s] && code !== 0) process.stderr.write(`${s} exited with ${code}\n`);
      await objects.removeBucket(bucket).catch(() => undefined);
      await objects.close();
      await forgetJobs(jobIds);
      // SQS queues exist with either bus: the S3 notifications queue is always SQS.
      await deleteQueues(busPrefix);
    },
  };
}

/** Deletes the Redis keys the run's jobs left: no key prefix is configurable (see above). */
export async function forgetJobs(jobIds: readonly string[], owner = OWNER): Promise<void> {
  if (jobIds.length === 0) return;
  const redis = new Redis(servers().redisUrl);
  try {
    await redis.del(...jobIds.flatMap((id) => [`ap:job:${id}`, `ap:lease:job:${id}`]));
    await redis.zrem(`ap:owner:${owner}:jobs`, ...jobIds);
    await redis.zrem('ap:jobs', ...jobIds);
  } finally {
    await redis.quit();
  }
}

/** Deletes every SQS queue whose name starts with `prefix` (the run's own). */
export async function deleteQueues(prefix: string): Promise<void> {
  const sqs = new SQSClient(awsTestConfig(servers().awsEndpointUrl));
  try {
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    for (const url of listed.QueueUrls ?? []) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
  } finally {
    sqs.destroy();
  }
}

// ---- the API as a user calls it ----

export interface ApiJob {
  id: string;
  type: 'zip' | 'report';
  owner: string;
  status: 'queued' | 'processing' | 'done' | 'failed';
  progress: { bytesDone: number; bytesTotal: number; itemsDone: number; itemsTotal: number; percent: number };
  output?: { bucket: string; key: string; size: number; contentType: string };
  downloadUrl?: string;
  expiresAt?: string;
  error?: { code: string; message: string };
  links: { self: string; download: string; events: string };
}

export async function post(p: Pipeline, apiPath: string, body: unknown): Promise<Response> {
  return fetch(`${p.processes.ingest.url}${apiPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
    body: JSON.stringify(body),
  });
}

export async function get(p: Pipeline, apiPath: string): Promise<Response> {
  return fetch(`${p.processes.status.url}${apiPath}`, { headers: { authorization: `Bearer ${p.token}` }, redirect: 'manual' });
}

/** POSTs a command; asserts 202 with Location and Retry-After; records the job id. */
export async function submit(p: Pipeline, apiPath: string, body: unknown): Promise<ApiJob> {
  const res = await post(p, apiPath, body);
  const text = await res.text();
  assert.is(res.status, 202, text);
  const job = JSON.parse(text) as ApiJob;
  p.jobIds.push(job.id);
  assert.is(res.headers.get('location'), `/v1/jobs/${job.id}`);
  assert.is(res.headers.get('retry-after'), '2');
  assert.is(job.status, 'queued');
  assert.is(job.owner, OWNER);
  return job;
}

/** Polls GET /v1/jobs/{id} on status until the job is done (or failed: a clear error). */
export async function untilFinished(p: Pipeline, id: string, timeoutMs = 90_000): Promise<ApiJob> {
  const job = await waitFor(
    async () => {
      for (const s of SERVICES) {
        if (p.processes[s].child.exitCode !== null) throw new Error(`${s} exited with ${p.processes[s].child.exitCode}`);
      }
      const res = await get(p, `/v1/jobs/${id}`);
      if (res.status !== 200) throw new Error(`GET /v1/jobs/${id}: ${res.status} ${await res.text()}`);
      const found = (await res.json()) as ApiJob;
      return found.status === 'done' || found.status === 'failed' ? found : undefined;
    },
    `job ${id} to finish`,
    { timeoutMs, intervalMs: 250 },
  );
  assert.is(job.status, 'done', `job ${id} failed: ${JSON.stringify(job.error)}`);
  return job;
}

/** GET …/download → 302 with a presigned Location; fetches it; the bytes and the response. */
export async function download(p: Pipeline, id: string): Promise<{ bytes: Buffer; response: Response }> {
  const redirect = await get(p, `/v1/jobs/${id}/download`);
  assert.is(redirect.status, 302, await redirect.clone().text());
  const location = redirect.headers.get('location');
  assert.ok(location, 'the redirect has a Location');
  assert.match(location!, /X-Amz-Signature=/);
  const response = await fetch(location!);
  assert.is(response.status, 200);
  return { bytes: Buffer.from(await response.arrayBuffer()), response };
}

// ---- the cases both transports run ----

export interface PipelineCtx {
  pipeline?: Pipeline & { start(): Promise<void> };
  /** Set once the first test saw all four processes ready. */
  up?: boolean;
}
type Ctx = PipelineCtx;

/**
 * A case that needs the pipeline the suite's first test started; on failure the processes'
 * output (its last `outputChars` characters) is added to the message.
 */
export function guardedCase(test: Test<PipelineCtx>, outputChars = Number.POSITIVE_INFINITY) {
  return (name: string, body: (p: Pipeline) => Promise<void>): void => {
    test(name, async (ctx) => {
      const p = ctx.pipeline;
      if (!p || !ctx.up) throw new Error('the pipeline did not start (see the first test)');
      try {
        await body(p);
      } catch (err) {
        const out = p.outputs();
        (err as Error).message += `\n${outputChars === Number.POSITIVE_INFINITY ? out : out.slice(-outputChars)}`;
        throw err;
      }
    });
  };
}

export function pipelineCases(transport: Transport): void {
  const test = suite<Ctx>(`the pipeline as four processes over ${transport}`, {});
  // Started in the first test: uvu swallows errors thrown in `before` (docs/testing.md).
  test.after(async (ctx) => {
    await ctx.pipeline?.close();
  });

  const guarded = guardedCase(test);

  test('four processes start from the environment alone and answer /healthz and /readyz', async (ctx) => {
    const p = (ctx.pipeline = createPipeline(transport));
    await withDeadline(p.start(), 170_000, 'the four processes to start').catch((err: Error) => {
      throw new Error(`${err.message}\n${p.outputs()}`);
    });
    for (const s of SERVICES) {
      const ready = await waitFor(
        async () => {
          const res = await fetch(`${p.processes[s].url}/readyz`);
          return res.status === 200 ? res : undefined;
        },
        `${s} to be ready`,
        { timeoutMs: 30_000, intervalMs: 250 },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${p.outputs()}`);
      });
      assert.is(ready.status, 200, s);
    }
    const jobs = await fetch(`${p.processes.status.url}/v1/jobs`);
    assert.is(jobs.status, 401, 'no token, no jobs');
    const commands = await fetch(`${p.processes.ingest.url}/v1/zip-jobs`, { method: 'POST', body: '{}' });
    assert.is(commands.status, 401, 'no token, no commands');
    // What each process wrote so far is JSON log lines only (a log shipper parses each line):
    // process warnings, such as a dependency's note on the Node version, included.
    for (const s of SERVICES) {
      const output = p.processes[s].output();
      if (output.length >= OUTPUT_LIMIT) continue; // kept from the end: the first line may be cut
      const notJson = output.split('\n').filter((line) => line.trim() !== '' && !isJsonLogLine(line));
      assert.equal(notJson, [], `${s} wrote lines that are not JSON log lines`);
    }
    // Idle connections outlive a load balancer's 60 s idle timeout (HTTP_KEEP_ALIVE_SECONDS).
    assert.is(jobs.headers.get('keep-alive'), 'timeout=65', 'status keep-alive');
    assert.is(commands.headers.get('keep-alive'), 'timeout=65', 'ingest keep-alive');
    ctx.up = true;
  });

  guarded('a prefix with a unicode name and nested folders is zipped; the download has every byte', async (p) => {
    const folder = `inbox/${OWNER}/${p.name}/`;
    const files = new Map<string, Buffer>([
      ['readme.txt', Buffer.from('hello from the pipeline\n')],
      ['Grüße ☃ 日本語.txt', Buffer.from('ünïcödé\n'.repeat(500))],
      ['nested/deeper/data.bin', randomBytes(300_000)],
      ['nested/notes.md', Buffer.from('# notes\n'.repeat(2_000))],
      ['nested/empty.txt', Buffer.alloc(0)],
    ]);
    for (const [name, body] of files) await p.objects.put(p.bucket, `${folder}${name}`, Readable.from([body]));

    const queued = await submit(p, '/v1/zip-jobs', { source: { prefix: folder }, name: 'bundle.zip' });
    assert.is(queued.type, 'zip');
    const job = await untilFinished(p, queued.id);
    assert.is(job.progress.percent, 100);
    assert.is(job.output?.bucket, p.bucket);
    assert.match(job.output!.key, new RegExp(`^outputs/zips/\\d{4}/\\d{2}/\\d{2}/${queued.id}/bundle\\.zip$`));
    assert.is(job.output?.contentType, 'application/zip');

    const { bytes, response } = await download(p, queued.id);
    assert.match(response.headers.get('content-disposition') ?? '', /bundle\.zip/);
    assert.is(bytes.length, job.output!.size);
    const zip = parseZip(bytes);
    const got = new Map(zip.entries.filter((e) => !e.central.name.endsWith('/')).map((e) => [e.central.name, e] as const));
    assert.equal([...got.keys()].sort(), [...files.keys()].sort(), 'entry names relative to the prefix');
    for (const [name, body] of files) {
      const entry = got.get(name)!;
      assert.ok(entry.content.equals(body), `${name}: the same bytes`);
      assert.is(entry.central.crc32, crc32(body), `${name}: CRC-32`);
      assert.ok(entry.central.flags & 0x0800, `${name}: UTF-8 flag`);
    }
    for (const entry of zip.entries.filter((e) => e.central.name.endsWith('/'))) {
      assert.ok([...files.keys()].some((n) => n.startsWith(entry.central.name)), `folder entry ${entry.central.name} holds a file`);
    }
  });

  guarded('files then _READY dropped into inbox/alice/<batch>/ become one zip job through the real bucket notification', async (p) => {
    const batch = `drop-${p.name.slice(-8)}`;
    const folder = `inbox/${OWNER}/${batch}/`;
    const files = new Map<string, Buffer>([
      ['a.txt', Buffer.from('dropped first\n')],
      ['sub/b.bin', randomBytes(50_000)],
    ]);
    for (const [name, body] of files) await p.objects.put(p.bucket, `${folder}${name}`, Readable.from([body]));
    await p.objects.put(p.bucket, `${folder}_READY`, Readable.from([Buffer.alloc(0)]));

    // Ingest's consumer of S3_NOTIFICATIONS_QUEUE makes the job; the caller only lists it.
    const listed = await waitFor(
      async () => {
        const res = await get(p, '/v1/jobs?limit=100');
        const { items } = (await res.json()) as { items: (ApiJob & { input: { prefix?: string } })[] };
        return items.find((j) => j.input.prefix === folder);
      },
      `a job for s3://${p.bucket}/${folder}`,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    p.jobIds.push(listed.id);
    const job = await untilFinished(p, listed.id);
    assert.match(job.output!.key, new RegExp(`/${listed.id}/${batch}\\.zip$`), 'named after the batch by the default rule');
    const { bytes } = await download(p, listed.id);
    const entries = parseZip(bytes).entries.filter((e) => !e.central.name.endsWith('/'));
    assert.equal(entries.map((e) => e.central.name).sort(), [...files.keys()].sort(), 'the marker is not in the ZIP');
    for (const e of entries) assert.ok(e.content.equals(files.get(e.central.name)!), `${e.central.name}: the same bytes`);
    const all = (await (await get(p, '/v1/jobs?limit=100')).json()) as { items: (ApiJob & { input: { prefix?: string } })[] };
    assert.is(all.items.filter((j) => j.input.prefix === folder).length, 1, 'one job for one marker');
  });

  guarded('inline rows become an XLSX whose cells hold the values sent', async (p) => {
    const queued = await submit(p, '/v1/reports', {
      format: 'xlsx',
      title: 'Visitors',
      name: 'visitors.xlsx',
      columns: [
        { key: 'city', header: 'City' },
        { key: 'visitors', header: 'Visitors', type: 'number' },
        { key: 'day', header: 'Day', type: 'date' },
      ],
      rows: [
        { city: 'Lisbon', visitors: 1200, day: '2026-11-30' },
        { city: 'Łódź & <Kraków>', visitors: '800', day: '2026-12-01' },
        { city: '東京', visitors: 37_400, day: '2026-12-02' },
      ],
    });
    assert.is(queued.type, 'report');
    const job = await untilFinished(p, queued.id);
    assert.match(job.output!.key, new RegExp(`^outputs/reports/\\d{4}/\\d{2}/\\d{2}/${queued.id}/visitors\\.xlsx$`));
    const { bytes, response } = await download(p, queued.id);
    assert.is(response.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    // The package itself: the values are in the sheet (or its shared strings), escaped.
    const parts = new Map(unzip(bytes).map((e) => [e.name, e.data.toString('utf8')] as const));
    const sheet = parts.get('xl/worksheets/sheet1.xml');
    assert.ok(sheet, `a first sheet among ${[...parts.keys()].join(', ')}`);
    const text = sheet! + (parts.get('xl/sharedStrings.xml') ?? '');
    for (const value of ['City', 'Visitors', 'Lisbon', 'Łódź &amp; &lt;Kraków&gt;', '東京']) assert.ok(text.includes(value), `the package holds ${value}`);
    for (const n of ['1200', '800', '37400']) assert.match(sheet!, new RegExp(`<v>${n}</v>`), `number ${n} in the sheet`);

    // And as a spreadsheet program reads it.
    const dir = await mkdtemp(path.join(tmpdir(), 'pipeline-xlsx-'));
    try {
      const file = path.join(dir, 'visitors.xlsx');
      await writeFile(file, bytes);
      const { sheets } = await openpyxlFull(file, 30_000);
      assert.equal(sheets.map((sheet) => [sheet.title, sheet.rows]), [[
        'Visitors',
        [
          [['City', 'str'], ['Visitors', 'str'], ['Day', 'str']],
          [['Lisbon', 'str'], [1200, 'int'], ['2026-11-30T00:00:00', 'datetime']],
          [['Łódź & <Kraków>', 'str'], [800, 'int'], ['2026-12-01T00:00:00', 'datetime']],
          [['東京', 'str'], [37400, 'int'], ['2026-12-02T00:00:00', 'datetime']],
        ],
      ]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  guarded('every process stops on SIGTERM with exit code 0', async (p) => {
    const codes = await Promise.all(SERVICES.map(async (s) => [s, await p.processes[s].stop(30_000)] as const));
    assert.equal(Object.fromEntries(codes), Object.fromEntries(SERVICES.map((s) => [s, 0])));
  });

  test.run();
}
