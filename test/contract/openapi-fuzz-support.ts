/**
 * Both HTTP services as they run in production, for fuzzing against the OpenAPI document:
 * ingest (real Redis job store, moto SQS bus, moto S3 presigning, JWT auth, a user
 * directory for /v1/auth/token) and status (the shared kernel with the OpenAPI route, as
 * status's main.ts mounts it), each on a loopback port, plus `runSchemathesis` to drive
 * the pinned schemathesis CLI from the harness's venv against one of them.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Topic, silentLogger, type Bus, type JobStore } from '@artifact-pipeline/shared';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { createHttpApp } from '@artifact-pipeline/shared/http/app';
import { bearerAuth } from '@artifact-pipeline/shared/http/auth';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { createUserDirectory, hashPassword, parseScryptHash } from '@artifact-pipeline/shared/http/auth-users';
import { mountHealthRoutes } from '@artifact-pipeline/shared/http/health-routes';
import { openApiRoutes } from '@artifact-pipeline/shared/http/openapi-document';
import { createRouter, type HttpRouter } from '@artifact-pipeline/shared/http/router';
import { listen, type Served } from '@artifact-pipeline/shared/http/serve';
import { createMetrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { encodeCursor } from '@artifact-pipeline/shared/job-cursor';
import type { StatusMiddleware } from '../../services/status/src/principal.js';
import { lifecycle } from '../../services/status/src/test-support.js';
import { createStatusService } from '../../services/status/src/status-service.js';
import { awsTestConfig, servers, uniqueName } from '../harness/support.js';
import { TEST_SECRET, startIngest, type RunningIngest } from '../e2e/ingest-http-support.js';
import { createBus, createTestJobStore, deleteRedisPrefix, JWT_SECRET } from '../e2e/status-support.js';

export const FUZZ_OWNER = 'fuzz-owner';

export interface FuzzTargets {
  ingest: RunningIngest;
  ingestToken: string;
  statusUrl: string;
  statusToken: string;
  /** A done job of FUZZ_OWNER with its artifact, so status's 200s are fuzzed too. */
  doneJobId: string;
  /** A cursor status issued (an opaque value no schema can describe). */
  cursor: string;
  close(): Promise<void>;
}

export async function startFuzzTargets(): Promise<FuzzTargets> {
  const name = uniqueName('fuzz');
  const aws = awsTestConfig(servers().awsEndpointUrl);
  const objects: S3ObjectStore = createS3ObjectStore({ ...aws });
  await objects.ensureBucket(name);
  const bus: Bus = createBus('sqs', `${name}-`);
  await bus.ensureTopic(Topic.zipCommands);
  await bus.ensureTopic(Topic.reportCommands);
  const ingestJobs = createTestJobStore(`${name}:ingest:`);
  const statusJobs = createTestJobStore(`${name}:status:`);
  const logger = silentLogger();
  const metrics = createMetrics({ service: 'fuzz', defaultMetrics: false });

  const health = createRouter();
  mountHealthRoutes(health, { registry: metrics.registry, readiness: [{ name: 'jobs', check: () => ingestJobs.ping() }], notReadyReason: () => undefined });
  const hash = parseScryptHash(await hashPassword('fuzz-password', { N: 1024, r: 8, p: 1 }));
  const ingest = await startIngest({
    bus, jobs: ingestJobs, objects, publicRouters: [health],
    users: createUserDirectory([{ username: FUZZ_OWNER, scopes: [], hash }]),
  });

  const status = createStatusService({
    jobs: statusJobs, objects, metrics, logger,
    bus: { ensureTopic: async () => undefined, consume: async () => ({ stop: async () => undefined }) } as unknown as Bus,
    artifactsBucket: name,
    downloadUrlTtlSeconds: 600,
    auth: bearerAuth({ auth: { mode: 'jwt', jwtSecret: JWT_SECRET, jwksUrl: undefined, usersFile: undefined }, logger }) as unknown as StatusMiddleware,
  });
  const http = createHttpApp({ service: 'status', logger, metrics, routers: [openApiRoutes(), status.router as unknown as HttpRouter] });
  const served: Served = await listen(http.app, { port: 0, host: '127.0.0.1' });

  const doneJobId = `${name}-done`;
  const createdAt = new Date(Date.now() - 120_000);
  await statusJobs.create({ id: doneJobId, type: 'zip', owner: FUZZ_OWNER, input: { prefix: 'inbox/fuzz/' }, createdAt: createdAt.toISOString() });
  const key = `zips/${doneJobId}/fuzz.zip`;
  await objects.put(name, key, Readable.from([Buffer.from('zip')]), { contentType: 'application/zip' });
  for (const event of lifecycle(doneJobId, { bucket: name, key })) await status.project(event);

  return {
    ingest,
    ingestToken: await issueToken({ secret: TEST_SECRET, subject: FUZZ_OWNER }),
    statusUrl: served.url,
    statusToken: await issueToken({ secret: JWT_SECRET, subject: FUZZ_OWNER }),
    doneJobId,
    cursor: encodeCursor({ createdAtMs: createdAt.getTime(), id: doneJobId }),
    async close() {
      await served.close(1_000);
      await status.stop(2_000);
      await ingest.close();
      await bus.close();
      await ingestJobs.close();
      await statusJobs.close();
      await objects.removeBucket(name).catch(() => undefined);
      await objects.close();
      await deleteRedisPrefix(`${name}:`);
    },
  };
}

const CONFIG = fileURLToPath(new URL('./schemathesis.toml', import.meta.url));

export interface SchemathesisRun {
  code: number | null;
  output: string;
}

/**
 * Runs `st run` from the venv beside TEST_PYTHON over the document the server itself
 * serves. Deterministic (fixed seed, one worker), bounded (`maxExamples` per operation, no
 * stateful phase), and every check that applies to a single request is on
 * (schemathesis.toml lists the exceptions and why).
 */
export interface SchemathesisOptions {
  base: string;
  token: string;
  /** Which operations, e.g. `['--include-tag', 'ingest']`. */
  filter: string[];
  /** Values schemathesis.toml reads (`${FUZZ_JOB_ID}`, `${FUZZ_CURSOR}`). */
  env: Record<string, string>;
  maxExamples?: number;
  seed?: number;
}

export function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisRun> {
  const python = process.env.TEST_PYTHON ?? fileURLToPath(new URL('../../.cache/servers/moto-venv/bin/python', import.meta.url));
  const st = join(dirname(python), 'st');
  const args = [
    '--config-file', CONFIG, '--no-color',
    'run', `${options.base}/v1/openapi.json`, '--url', options.base,
    '-H', `Authorization: Bearer ${options.token}`,
    '--phases', 'examples,coverage,fuzzing',
    '--max-examples', String(options.maxExamples ?? 15), '--seed', String(options.seed ?? 20261204),
    '--workers', '1', '--request-timeout', '10', '--max-redirects', '0',
    '--suppress-health-check', 'all',
    // ASCII strings: JSON Schema counts maxLength in code points, the server's TypeBox
    // checks in UTF-16 units and its key checks in UTF-8 bytes; the document cannot say both.
    '--generation-codec', 'ascii',
    ...options.filter,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(st, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
