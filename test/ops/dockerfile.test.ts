/**
 * The Dockerfile, without a Docker engine: hadolint (shell and Dockerfile rules) and
 * checkov's Dockerfile checks, on ours and on a deliberately careless one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { checkov, hadolint, repoRoot, toolsReady } from './ops-tools.js';

interface Context {
  dir: string;
  careless: string;
}

const dockerfile = path.join(repoRoot, 'Dockerfile');
const text = fs.readFileSync(dockerfile, 'utf8');

const lint = suite<Context>('Dockerfile checks', { dir: '', careless: '' });

lint.before(async (context) => {
  await toolsReady();
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-dockerfile-'));
  context.careless = path.join(context.dir, 'Dockerfile');
  // Unpinned base, root user, shell-form CMD (node is not PID 1), cd instead of WORKDIR.
  fs.writeFileSync(context.careless, 'FROM node:latest\nCOPY . /app\nRUN cd /app && npm install\nCMD node /app/main.js\n');
});

lint.after((context) => {
  fs.rmSync(context.dir, { recursive: true, force: true });
});

lint('hadolint finds nothing in ours', () => {
  const out = hadolint(dockerfile);
  assert.is(out.status, 0, out.stdout + out.stderr);
});

lint('hadolint reports the careless one', ({ careless }) => {
  const out = hadolint(careless);
  assert.is.not(out.status, 0);
  assert.match(out.stdout, /DL3007/); // FROM …:latest
  assert.match(out.stdout, /DL3025/); // CMD not in exec form
});

lint('checkov passes ours, with every skip explained', () => {
  const result = checkov(['-f', dockerfile, '--framework', 'dockerfile']);
  assert.equal(result.failed, []);
  assert.ok(result.passedCount > 10);
  for (const skip of text.matchAll(/#checkov:skip=([A-Z0-9_]+)(:?)(.*)/g)) {
    assert.ok(skip[2] === ':' && skip[3]!.trim().length > 10, `skip ${skip[1]} needs a reason`);
  }
});

lint('checkov reports the careless one (runs as root)', ({ careless }) => {
  const ids = checkov(['-f', careless, '--framework', 'dockerfile']).failed.map((f) => f.check_id);
  assert.ok(ids.includes('CKV_DOCKER_3'), ids.join(' ')); // no USER
});

lint('the image runs one service as non-root, node as PID 1, without HEALTHCHECK', () => {
  assert.match(text, /^ARG SERVICE$/m);
  assert.match(text, /npm ci --omit=dev[^\n]*--workspace "services\/\$\{SERVICE\}"/);
  assert.match(text, /^USER 1000:1000$/m);
  assert.match(text, /^CMD \["node", "\/app\/main\.js"\]$/m);
  assert.not.match(text, /^HEALTHCHECK/m);
});

lint.run();
