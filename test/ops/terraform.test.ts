/**
 * Terraform, offline: formatting (`terraform fmt`, or the same HCL formatter as hclfmt),
 * checkov's static scan, and `terraform validate` with the AWS provider from the machine's
 * mirror (/opt/tf-plugins) when it has one — skipped, and said so, when it has not. The
 * apply against moto is terraform-moto.slow.test.ts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { hclFormatter } from '../harness/install-tools.mjs';
import { checkov, run, terraformDir, toolsReady } from './ops-tools.js';

interface Context {
  dir: string;
}

function terraformFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tf'))
    .map((f) => path.join(dir, f));
}

/** Files whose text differs from what the formatter makes of it. */
function unformatted(files: readonly string[]): string[] {
  const { command, args } = hclFormatter();
  return files.filter((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const out = run(command, args, { input: text });
    if (out.status !== 0) return true; // not even parseable
    return out.stdout !== text;
  });
}

/** Inline skips without a reason: `#checkov:skip=ID:reason` is the only accepted form. */
function unexplainedSkips(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?/g)]
      .filter((m) => (m[2] ?? '').trim().length < 10)
      .map((m) => `${path.basename(file)}: ${m[1]}`),
  );
}

const fmt = suite<Context>('terraform fmt', { dir: '' });

fmt.before(async (context) => {
  await toolsReady();
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-terraform-'));
});

fmt.after((context) => {
  fs.rmSync(context.dir, { recursive: true, force: true });
});

fmt('every file under terraform/ is formatted', () => {
  const files = terraformFiles(terraformDir);
  assert.ok(files.length >= 8, `only ${files.length} files`);
  assert.equal(unformatted(files), []);
});

fmt('a misaligned file is reported', ({ dir }) => {
  const file = path.join(dir, 'bad.tf');
  fs.writeFileSync(file, 'variable "x" {\n  type = string\n  default     = "a"\n}\n');
  assert.equal(unformatted([file]), [file]);
});

fmt.run();

const scan = suite<Context>('checkov terraform', { dir: '' });

scan.before(async (context) => {
  await toolsReady();
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-checkov-'));
});

scan.after((context) => {
  fs.rmSync(context.dir, { recursive: true, force: true });
});

scan('finds nothing in terraform/, and every skip says why', () => {
  const result = checkov(['-d', terraformDir, '--framework', 'terraform']);
  assert.equal(result.failed.map((f) => `${f.check_id} ${f.resource}`), []);
  assert.ok(result.passedCount > 50, `only ${result.passedCount} checks passed`);
  assert.equal(unexplainedSkips(terraformFiles(terraformDir)), []);
});

scan('reports an open, unencrypted queue and a skip without a reason', ({ dir }) => {
  const file = path.join(dir, 'main.tf');
  fs.writeFileSync(file, [
    'resource "aws_sqs_queue" "open" {',
    '  name = "open"',
    '  sqs_managed_sse_enabled = false',
    '}',
    'resource "aws_sqs_queue_policy" "open" {',
    '  queue_url = aws_sqs_queue.open.id',
    '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:*", Resource = "*" }] })',
    '}',
    'resource "aws_s3_bucket" "b" {',
    '  #checkov:skip=CKV_AWS_18',
    '  bucket = "b"',
    '}',
    '',
  ].join('\n'));
  const ids = checkov(['-d', dir, '--framework', 'terraform']).failed.map((f) => f.check_id);
  assert.ok(ids.includes('CKV_AWS_27'), ids.join(' ')); // not encrypted
  assert.ok(ids.includes('CKV_AWS_168') || ids.includes('CKV_AWS_72'), ids.join(' ')); // open policy
  assert.equal(unexplainedSkips([file]), ['main.tf: CKV_AWS_18']);
});

scan.run();

const PROVIDER_MIRROR = '/opt/tf-plugins';
const hasProvider = fs.existsSync(path.join(PROVIDER_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'))
  && spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
const validate = suite<Context>('terraform validate', { dir: '' });

validate.after((context) => {
  if (context.dir) fs.rmSync(context.dir, { recursive: true, force: true });
});

function terraformIn(dir: string, args: string[]): { status: number | null; out: string } {
  const out = spawnSync('terraform', [...args, '-no-color'], {
    cwd: dir, encoding: 'utf8', timeout: 240_000, env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  return { status: out.status, out: `${out.stdout}${out.stderr}` };
}

if (!hasProvider) {
  process.stdout.write(`terraform validate: SKIPPED, no terraform or no AWS provider mirror at ${PROVIDER_MIRROR}\n`);
  validate.skip('the module validates with the AWS provider', () => undefined);
} else {
  validate('the module validates with the AWS provider; a statement naming an unknown resource does not', (context) => {
    context.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-tf-validate-'));
    for (const f of fs.readdirSync(terraformDir)) {
      if (f.endsWith('.tf') || f.endsWith('.json')) fs.copyFileSync(path.join(terraformDir, f), path.join(context.dir, f));
    }
    const init = terraformIn(context.dir, ['init', '-backend=false', `-plugin-dir=${PROVIDER_MIRROR}`, '-input=false']);
    assert.is(init.status, 0, init.out);
    const ok = terraformIn(context.dir, ['validate']);
    assert.is(ok.status, 0, ok.out);
    fs.appendFileSync(path.join(context.dir, 'broken.tf'), 'output "broken" {\n  value = aws_sqs_queue.missing.arn\n}\n');
    const broken = terraformIn(context.dir, ['validate']);
    assert.is.not(broken.status, 0);
    assert.match(broken.out, /aws_sqs_queue\.missing|undeclared resource/i);
  });
}

validate.run();
