/**
 * The image's Node, without Docker: the Dockerfile's NODE_VERSION (the runtime stage's base)
 * is installed from npm's official linux-x64 build into .cache/tools, and each service's
 * built dist — what the runtime stage copies and runs as `node /app/main.js` — is started
 * with it against the shared Redis and moto (S3, SQS), after `artifacts provision`, until
 * /healthz and /readyz answer 200; SIGTERM then ends it with exit code 0. The machine's own
 * Node (20) runs the rest of the suite; this file is what proves the newer line.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureImageNode } from '../harness/install-tools.mjs';
import { uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { deleteQueues, pipelineEnv, provision, type ServiceName } from '../e2e/pipeline-processes-support.js';
import { freePort } from '../e2e/local-mode-support.js';
import { repoRoot, run } from './ops-tools.js';

/** The runtime stage's Node version, from `ARG NODE_VERSION=…` in the Dockerfile. */
export function imageNodeVersion(dockerfile: string): string {
  const match = /^ARG NODE_VERSION=(\d+\.\d+\.\d+)$/m.exec(dockerfile);
  if (!match) throw new Error('the Dockerfile has no ARG NODE_VERSION=<x.y.z>');
  return match[1]!;
}

interface Ctx {
  node: string;
  version: string;
  prefix: string;
}

const test = suite<Ctx>('the image Node runs every service', { node: '', version: '', prefix: uniqueName('img').replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 30) + '-' });

test.after(async (ctx) => {
  await deleteQueues(ctx.prefix).catch(() => undefined);
});

test('the Dockerfile builds on an LTS line newer than the machines\' Node 20', () => {
  const version = imageNodeVersion(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
  const major = Number(version.split('.')[0]);
  assert.ok(major >= 22 && major % 2 === 0, `Node ${version}: even (LTS) lines from 22 on`);
  assert.throws(() => imageNodeVersion('FROM node:20\n'), /NODE_VERSION/);
  const engines = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  assert.ok(engines.includes(`^${major}.`), `package.json engines (${engines}) names the image's line`);
  assert.ok(engines.includes(`^${process.versions.node.split('.')[0]}.`), `package.json engines (${engines}) names the line the tests run on`);
});

test('installs that exact Node', async (ctx) => {
  ctx.version = imageNodeVersion(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
  ctx.node = await withDeadline(ensureImageNode(ctx.version), 10 * 60_000, `installing Node ${ctx.version}`);
  const out = run(ctx.node, ['--version']);
  assert.is(out.stdout.trim(), `v${ctx.version}`);
});

for (const service of ['ingest', 'status', 'zipper', 'reporter'] as const satisfies readonly ServiceName[]) {
  test(`${service}: dist/main.js starts on it, gets ready against Redis, SQS and S3, exits 0 on SIGTERM`, async (ctx) => {
    if (!ctx.node) throw new Error('the image Node is not installed (see the test before)');
    const main = path.join(repoRoot, 'services', service, 'dist', 'main.js');
    assert.ok(existsSync(main), `${main} is built (npm test runs the build first)`);
    const env = pipelineEnv('sqs', { busPrefix: ctx.prefix, bucket: ctx.prefix.replace(/-$/, '').toLowerCase() }, { LOG_LEVEL: 'warn', SHUTDOWN_GRACE_SECONDS: '5' });
    if (service === 'ingest') await provision(env);
    const port = await freePort();
    const child = spawn(ctx.node, [main], { cwd: repoRoot, env: { ...env, PORT: String(port), NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (const probe of ['/healthz', '/readyz']) {
        await waitFor(
          async () => {
            if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
            const res = await fetch(`http://127.0.0.1:${port}${probe}`);
            if (res.status !== 200) throw new Error(`GET ${probe} answered ${res.status}: ${await res.text()}`);
            return true;
          },
          `${service} on Node ${ctx.version} to answer GET ${probe} with 200`,
          { timeoutMs: 90_000, intervalMs: 250 },
        );
      }
      child.kill('SIGTERM');
      assert.is(await withDeadline(exited, 30_000, `${service} to exit after SIGTERM`), 0);
    } catch (err) {
      (err as Error).message += `\n--- ${service} output:\n${output}`;
      throw err;
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    assert.not.match(output, /"level":(50|60)/, 'no error or fatal log line');
  });
}

test.run();
