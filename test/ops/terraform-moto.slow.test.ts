/**
 * The operator's test (a slow file: about 5 minutes on 2 cores, most of it the AWS provider's
 * waiters against moto): `terraform init` from the provider mirror and `terraform apply` of the S3/SQS/IAM part against a moto server of our own with IAM enforced
 * (INITIAL_NO_AUTH_ACTION_COUNT=3: only the admin user's bootstrap goes unauthenticated). Then
 * each service runs as a user holding exactly its role's policy (copied from the role
 * Terraform wrote), against the shared Redis: all four get Ready, an upload through
 * POST /v1/uploads plus its `_READY` makes a ZIP, a CSV dropped under reports/ makes a report,
 * and a zipper whose policy lacks one grant refuses to start with one clear line.
 *
 * Without terraform or the AWS provider mirror (/opt/tf-plugins) the suite is skipped and
 * says so. Where moto's IAM differs from AWS's, the check is made against the table
 * (packages/shared/src/aws-permissions.ts) instead, and the test says which:
 * - moto authorises GetQueueUrl against "*" (it finds the queue only from a QueueUrl): the
 *   services run with SQS_QUEUE_URL_BASE (Terraform's output) and make no GetQueueUrl;
 * - moto does not evaluate the s3:prefix condition of the list grants;
 * - moto's waiter for aws_sqs_queue_redrive_allow_policy never ends: that resource is left out;
 * - presigned URLs: tried, and when moto refuses them (5.2.5 answers 500 under enforcement) the
 *   same PUT is made with the ingest role's keys; downloads are read with the operator's keys.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { grantActions, SERVICE_PERMISSIONS, DEFAULT_MAX_ATTEMPTS, REDRIVE_MARGIN, type AwsServiceName } from '@artifact-pipeline/shared/aws-permissions';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { parseZip } from '../../services/zipper/test-support/zip-parse.js';
import { servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { freePort } from '../e2e/local-mode-support.js';
import { forgetJobs, spawnService, type ServiceProcess } from '../e2e/pipeline-processes-support.js';
import { repoRoot, terraformDir } from './ops-tools.js';

const PLUGIN_DIR = '/opt/tf-plugins';
const PROVIDER_DIR = path.join(PLUGIN_DIR, 'registry.terraform.io', 'hashicorp', 'aws');
const MOTO_SERVER = path.join(repoRoot, '.cache', 'servers', 'moto-venv', 'bin', 'moto_server');
const SERVICES: readonly AwsServiceName[] = ['ingest', 'zipper', 'reporter', 'status'];
const JWT_SECRET = 'operator-test-secret-0123456789abcdef';
/** Its own owner: the shared Redis holds other runs' jobs of other owners. */
const OWNER = `operator-${Math.random().toString(36).slice(2, 10)}`;

interface Keys { accessKeyId: string; secretAccessKey: string }
interface Outputs { [name: string]: { value: unknown } }

interface Ctx {
  dir: string;
  moto?: ChildProcess;
  endpoint: string;
  name: string;
  admin: Keys;
  outputs: Outputs;
  keys: Partial<Record<string, Keys>>;
  processes: ServiceProcess[];
  jobIds: string[];
}

function missingTools(): string | undefined {
  if (spawnSync('terraform', ['version'], { encoding: 'utf8' }).status !== 0) return 'terraform is not on PATH';
  if (!fs.existsSync(PROVIDER_DIR)) return `no AWS provider mirror at ${PROVIDER_DIR}`;
  if (!fs.existsSync(MOTO_SERVER)) return `no moto_server at ${MOTO_SERVER}`;
  return undefined;
}

function tf(ctx: Ctx, args: string[], env: Record<string, string> = {}): string {
  const started = Date.now();
  const out = spawnSync('terraform', [...args, '-no-color'], {
    cwd: ctx.dir,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', AWS_ACCESS_KEY_ID: ctx.admin.accessKeyId, AWS_SECRET_ACCESS_KEY: ctx.admin.secretAccessKey, AWS_REGION: 'us-east-1', ...env },
  });
  process.stdout.write(`terraform ${args[0]}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (out.status !== 0) throw new Error(`terraform ${args[0]} failed (${out.status}):\n${out.stdout.slice(-4000)}\n${out.stderr.slice(-4000)}`);
  return out.stdout;
}

/** boto3 from the moto venv: IAM calls (the project has no IAM client, and needs none). */
function boto(ctx: Ctx, script: string, keys: Keys): unknown {
  const python = process.env.TEST_PYTHON ?? path.join(repoRoot, '.cache', 'servers', 'moto-venv', 'bin', 'python');
  const prelude = [
    'import boto3, json, sys',
    `iam = boto3.client("iam", endpoint_url=${JSON.stringify(ctx.endpoint)}, region_name="us-east-1", aws_access_key_id=${JSON.stringify(keys.accessKeyId)}, aws_secret_access_key=${JSON.stringify(keys.secretAccessKey)})`,
  ].join('\n');
  const out = spawnSync(python, ['-c', `${prelude}\n${script}`], { encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) throw new Error(`boto3 failed: ${out.stderr.slice(-3000)}`);
  return JSON.parse(out.stdout) as unknown;
}

/** An IAM user holding exactly `policy` (a role's policy document), and its keys. */
function userWithPolicy(ctx: Ctx, user: string, policy: string): Keys {
  return boto(ctx, [
    `iam.create_user(UserName=${JSON.stringify(user)})`,
    `iam.put_user_policy(UserName=${JSON.stringify(user)}, PolicyName="role", PolicyDocument=${JSON.stringify(policy)})`,
    `k = iam.create_access_key(UserName=${JSON.stringify(user)})["AccessKey"]`,
    'print(json.dumps({"accessKeyId": k["AccessKeyId"], "secretAccessKey": k["SecretAccessKey"]}))',
  ].join('\n'), ctx.admin) as Keys;
}

function rolePolicy(ctx: Ctx, service: string): { Statement: { Sid: string; Action: string | string[]; Resource: string | string[] }[] } {
  const role = `${ctx.name}-${service}`;
  return boto(ctx, `print(json.dumps(iam.get_role_policy(RoleName=${JSON.stringify(role)}, PolicyName=${JSON.stringify(role)})["PolicyDocument"]))`, ctx.admin) as never;
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const output = (ctx: Ctx, name: string): string => String(ctx.outputs[name]!.value);

function serviceEnv(ctx: Ctx, keys: Keys, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    BUS: 'sqs',
    QUEUE_NAME_PREFIX: output(ctx, 'queue_name_prefix'),
    SQS_QUEUE_URL_BASE: output(ctx, 'sqs_queue_url_base'),
    S3_NOTIFICATIONS_QUEUE: output(ctx, 's3_notifications_queue'),
    ARTIFACTS_BUCKET: output(ctx, 'artifacts_bucket'),
    UPLOADS_BUCKET: output(ctx, 'uploads_bucket'),
    ALLOWED_SOURCE_BUCKETS: (ctx.outputs.allowed_source_buckets!.value as string[]).join(','),
    MAX_ATTEMPTS: output(ctx, 'max_attempts'),
    AWS_ENDPOINT_URL: ctx.endpoint,
    AWS_REGION: output(ctx, 'aws_region'),
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    REDIS_URL: servers().redisUrl,
    AUTH_MODE: 'jwt',
    AUTH_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: 'info',
    OTEL_SDK_DISABLED: 'true',
    SHUTDOWN_GRACE_SECONDS: '5',
    ...extra,
  };
}

function s3As(ctx: Ctx, keys: Keys): S3Client {
  return new S3Client({ endpoint: ctx.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: keys });
}

async function untilReady(proc: ServiceProcess): Promise<void> {
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}`);
    const res = await fetch(`${proc.url}/readyz`);
    if (res.status !== 200) throw new Error(`GET /readyz answered ${res.status} ${await res.text()}`);
    return true;
  }, `${proc.name} to answer GET /readyz with 200`, { timeoutMs: 90_000, intervalMs: 300 }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${proc.name} output:\n${proc.output()}`);
  });
}

async function jobsOf(ctx: Ctx, status: ServiceProcess, token: string): Promise<{ id: string; type: string; status: string; output?: { bucket: string; key: string }; downloadUrl?: string; expiresAt?: string; error?: unknown }[]> {
  const res = await fetch(`${status.url}/v1/jobs?limit=100`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /v1/jobs: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { items?: unknown[]; jobs?: unknown[] };
  return (body.items ?? body.jobs ?? []) as never;
}

const reason = missingTools();
const op = suite<Ctx>('terraform apply on moto (IAM enforced), then the four services with their roles', {
  dir: '', endpoint: '', name: '', admin: { accessKeyId: 'test', secretAccessKey: 'test' }, outputs: {}, keys: {}, processes: [], jobIds: [],
});

op.after(async (ctx) => {
  await Promise.all(ctx.processes.map((p) => p.stop(10_000)));
  await forgetJobs(ctx.jobIds, OWNER).catch(() => undefined);
  ctx.moto?.kill('SIGTERM');
  if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true });
});

if (reason !== undefined) {
  process.stdout.write(`terraform-moto: SKIPPED, ${reason} (terraform validate and the apply against moto need it)\n`);
  op.skip('terraform init, validate and apply against moto', () => undefined);
} else {
  op('terraform init from the provider mirror, validate, apply the S3/SQS/IAM part to moto', async (ctx) => {
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-tf-moto-'));
    const port = await freePort();
    ctx.endpoint = `http://127.0.0.1:${port}`;
    ctx.moto = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3' },
      stdio: 'ignore',
    });
    await waitFor(async () => (await fetch(`${ctx.endpoint}/moto-api/`)).ok || undefined, 'moto to answer', { timeoutMs: 60_000, intervalMs: 300 });
    // The three unauthenticated calls: an admin user, its policy, its keys.
    ctx.admin = boto(ctx, [
      'iam.create_user(UserName="operator")',
      'iam.put_user_policy(UserName="operator", PolicyName="admin", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))',
      'k = iam.create_access_key(UserName="operator")["AccessKey"]',
      'print(json.dumps({"accessKeyId": k["AccessKeyId"], "secretAccessKey": k["SecretAccessKey"]}))',
    ].join('\n'), { accessKeyId: 'test', secretAccessKey: 'test' }) as Keys;
    // Enforcement is on: the default keys are refused now.
    const anonymous = boto(ctx, 'import botocore\ntry:\n  iam.list_users(); print(json.dumps("allowed"))\nexcept botocore.exceptions.ClientError as e:\n  print(json.dumps(e.response["Error"]["Code"]))', { accessKeyId: 'test', secretAccessKey: 'test' });
    assert.is.not(anonymous, 'allowed', 'moto enforces IAM after the bootstrap');

    ctx.name = uniqueName('op').toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 24);
    const inputBucket = `${ctx.name}-in`;
    const s3 = s3As(ctx, ctx.admin);
    await s3.send(new CreateBucketCommand({ Bucket: inputBucket }));
    s3.destroy();

    for (const f of fs.readdirSync(terraformDir)) {
      if (f.endsWith('.tf') || f.endsWith('.json')) fs.copyFileSync(path.join(terraformDir, f), path.join(ctx.dir, f));
    }
    fs.writeFileSync(path.join(ctx.dir, 'moto_override.tf'), [
      'provider "aws" {',
      '  region                      = var.region',
      '  s3_use_path_style           = true',
      '  skip_credentials_validation = true',
      '  skip_metadata_api_check     = true',
      '  skip_region_validation      = true',
      '  endpoints {',
      ...['s3', 'sqs', 'iam', 'sts'].map((s) => `    ${s} = "${ctx.endpoint}"`),
      '  }',
      '}',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(ctx.dir, 'test.tfvars.json'), JSON.stringify({
      name: ctx.name,
      artifacts_bucket_name: `${ctx.name}-art`,
      input_buckets: [inputBucket],
      queue_name_prefix: `${ctx.name}-`,
      vpc_id: 'vpc-0123abcd',
      private_subnet_ids: ['subnet-a', 'subnet-b'],
      client_security_group_ids: ['sg-1'],
      redis_auth_token: 'operator-test-token-0123',
      oidc_provider_arn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/TEST',
      oidc_issuer: 'oidc.eks.us-east-1.amazonaws.com/id/TEST',
    }));
    tf(ctx, ['init', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`, '-input=false']);
    // (terraform validate of the module itself runs in terraform.test.ts, in the main lane.)
    // ElastiCache, MSK and CloudWatch are not applied (moto is not asked to host them); nor the
    // DLQs' redrive-allow policy, whose waiter never ends on moto.
    // Lifecycle, encryption and public-access settings are not applied either: the services
    // never read them, and each costs moto tens of seconds of the provider's waiters.
    const targets = ['aws_iam_role_policy.service', 'aws_s3_bucket_notification.inputs', 'aws_sqs_queue.main'];
    tf(ctx, ['apply', '-auto-approve', '-input=false', '-parallelism=20', '-var-file=test.tfvars.json', ...targets.map((t) => `-target=${t}`)]);
    // A -target apply writes only the outputs that depend on a targeted resource; those made of
    // variables alone are what this file passed in (named as outputs.tf names them).
    const fromVariables: Outputs = {
      aws_region: { value: 'us-east-1' },
      allowed_source_buckets: { value: [inputBucket] },
      queue_name_prefix: { value: `${ctx.name}-` },
      s3_notifications_queue: { value: 'artifacts-s3-notifications' },
      uploads_bucket: { value: inputBucket },
      max_attempts: { value: DEFAULT_MAX_ATTEMPTS },
    };
    ctx.outputs = { ...fromVariables, ...(JSON.parse(tf(ctx, ['output', '-json'])) as Outputs) };
    if (process.env.DEBUG_TF) process.stdout.write(`${Object.keys(ctx.outputs).join(' ')}\n`);
    assert.is(output(ctx, 'artifacts_bucket'), `${ctx.name}-art`);
    assert.match(output(ctx, 'sqs_queue_url_base'), /^http:\/\/127\.0\.0\.1:\d+\/\d{12}$/);
  });

  op('every role holds exactly the table\'s actions, and the redrive threshold is MAX_ATTEMPTS + margin', async (ctx) => {
    for (const service of SERVICES) {
      const statements = rolePolicy(ctx, service).Statement;
      const got = Object.fromEntries(statements.map((s) => [s.Sid, list(s.Action).sort()]));
      const want = Object.fromEntries(SERVICE_PERMISSIONS[service].map((g) => [g.sid, grantActions(g)]));
      assert.equal(got, want, `${service}'s role policy`);
      for (const s of statements) for (const r of list(s.Resource)) assert.ok(!r.includes('*') || /\/[a-z-]*\*$/.test(r) || r.endsWith('/*'), `${service} ${s.Sid}: ${r} is not a wildcard over a whole account`);
    }
    // moto cannot authorise GetQueueUrl by queue (see above), so it is checked against the table:
    // on AWS, without SQS_QUEUE_URL_BASE, every queue a role sends to or reads needs it.
    for (const service of SERVICES) {
      for (const g of SERVICE_PERMISSIONS[service].filter((g) => g.resources.some((r) => /^(queue|dlq):/.test(r)))) {
        assert.ok(g.calls.includes('GetQueueUrl'), `${service} ${g.sid} lacks sqs:GetQueueUrl`);
      }
    }
    const sqs = new SQSClient({ endpoint: ctx.endpoint, region: 'us-east-1', credentials: ctx.admin });
    try {
      const url = `${output(ctx, 'sqs_queue_url_base')}/${ctx.name}-artifacts-commands-zip`;
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
      const redrive = JSON.parse(attrs.Attributes!.RedrivePolicy!) as { maxReceiveCount: number | string };
      assert.is(Number(redrive.maxReceiveCount), DEFAULT_MAX_ATTEMPTS + REDRIVE_MARGIN);
    } finally {
      sqs.destroy();
    }
  });

  op('a service started on a queue prefix nobody provisioned says which queue and what creates it, and exits 1', async (ctx) => {
    const proc = await spawnService('status', serviceEnv(ctx, ctx.admin, { QUEUE_NAME_PREFIX: `${ctx.name}-none-` }), 'status-unprovisioned');
    ctx.processes.push(proc);
    const code = await withDeadline(proc.exited, 60_000, 'status on missing queues to exit');
    assert.is(code, 1, proc.output());
    const lines = proc.output().trim().split('\n').filter((l) => l.includes('cannot start'));
    assert.is(lines.length, 1, proc.output());
    const line = JSON.parse(lines[0]!) as { msg: string; code: string; queue?: string };
    assert.is(line.code, 'NOT_FOUND');
    assert.is(line.queue, `${ctx.name}-none-artifacts-events`);
    assert.match(line.msg, /artifacts provision/);
    assert.not.match(proc.output(), /\n\s+at /, 'no stack trace');
  });

  op('a zipper whose policy lacks one grant refuses to start, naming the action and the queue', async (ctx) => {
    const policy = rolePolicy(ctx, 'zipper');
    policy.Statement = policy.Statement.filter((s) => s.Sid !== 'PublishEvents');
    const keys = userWithPolicy(ctx, `${ctx.name}-zipper-short`, JSON.stringify(policy));
    const proc = await spawnService('zipper', serviceEnv(ctx, keys), 'zipper-short');
    ctx.processes.push(proc);
    const code = await withDeadline(proc.exited, 60_000, 'the zipper without PublishEvents to exit');
    assert.is(code, 1, proc.output());
    const line = JSON.parse(proc.output().trim().split('\n').find((l) => l.includes('cannot start'))!) as { msg: string; code: string; action: string; queue: string };
    assert.is(line.code, 'ACCESS_DENIED');
    assert.is(line.action, 'sqs:GetQueueAttributes');
    assert.is(line.queue, `${ctx.name}-artifacts-events`);
  });

  op('with their own roles all four get Ready; an upload + _READY makes a ZIP, a CSV under reports/ a report', async (ctx) => {
    const started: Partial<Record<AwsServiceName, ServiceProcess>> = {};
    for (const service of SERVICES) ctx.keys[service] = userWithPolicy(ctx, `${ctx.name}-${service}`, JSON.stringify(rolePolicy(ctx, service)));
    // The zipper's keys "expire" in 30 min, as an IRSA session would (the SDK reads
    // AWS_CREDENTIAL_EXPIRATION with env credentials): its job's expiresAt must say so.
    const sessionEnds = new Date(Date.now() + 30 * 60_000);
    for (const service of SERVICES) {
      const extra: Record<string, string> = service === 'zipper' ? { AWS_CREDENTIAL_EXPIRATION: sessionEnds.toISOString() } : {};
      const proc = await spawnService(service, serviceEnv(ctx, ctx.keys[service]!, extra));
      ctx.processes.push(proc);
      started[service] = proc;
    }
    await Promise.all(SERVICES.map((s) => untilReady(started[s]!)));
    const token = await issueToken({ secret: JWT_SECRET, subject: OWNER });

    const res = await fetch(`${started.ingest!.url}/v1/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ files: [{ name: 'hello.txt', contentType: 'text/plain' }] }),
    });
    const upload = (await res.json()) as { bucket: string; prefix: string; files: { key: string; url: string; headers: Record<string, string> }[]; marker: { key: string; url: string } };
    assert.is(res.status, 200, JSON.stringify(upload));
    assert.is(upload.bucket, output(ctx, 'uploads_bucket'));
    const put = await fetch(upload.files[0]!.url, { method: 'PUT', headers: upload.files[0]!.headers, body: 'hello from the uploads bucket' });
    const ingestS3 = s3As(ctx, ctx.keys.ingest!);
    if (put.status !== 200) {
      // moto does not authorise presigned requests the way S3 does; the URL acts with ingest's
      // role, which the table grants s3:PutObject on inbox/: the same PUT with those keys.
      process.stdout.write(`moto refused the presigned PUT (${put.status}); putting with the ingest role's keys instead\n`);
      await ingestS3.send(new PutObjectCommand({ Bucket: upload.bucket, Key: upload.files[0]!.key, Body: 'hello from the uploads bucket', ContentType: 'text/plain' }));
      await ingestS3.send(new PutObjectCommand({ Bucket: upload.bucket, Key: upload.marker.key, Body: '' }));
    } else {
      const marker = await fetch(upload.marker.url, { method: 'PUT', body: '' });
      assert.is(marker.status, 200, await marker.text());
    }
    ingestS3.destroy();

    const admin = s3As(ctx, ctx.admin);
    await admin.send(new PutObjectCommand({ Bucket: upload.bucket, Key: `reports/${OWNER}/q1.csv`, Body: 'region,amount\nnorth,12\nsouth,30\n', ContentType: 'text/csv' }));

    const done = await waitFor(async () => {
      for (const p of Object.values(started)) if (p!.child.exitCode !== null) throw new Error(`${p!.name} exited:\n${p!.output()}`);
      const jobs = await jobsOf(ctx, started.status!, token);
      const failed = jobs.find((j) => j.status === 'failed');
      if (failed) throw new Error(`job failed: ${JSON.stringify(failed)}`);
      const zip = jobs.find((j) => j.type === 'zip' && j.status === 'done');
      const report = jobs.find((j) => j.type === 'report' && j.status === 'done');
      return zip && report ? { zip, report } : undefined;
    }, 'the ZIP and the report job to be done', { timeoutMs: 120_000, intervalMs: 500 }).catch((err: Error) => {
      const problems = (p: ServiceProcess): string => p.output().split('\n').filter((l) => !/"level":(10|20|30)\b/.test(l)).join('\n').slice(-4000);
      throw new Error(`${err.message}\n${Object.values(started).map((p) => `--- ${p!.name}:\n${problems(p!)}`).join('\n')}`);
    });
    ctx.jobIds.push(done.zip.id, done.report.id);
    // DOWNLOAD_URL_TTL_SECONDS is 24 h by default: the ZIP's link dies with the zipper's
    // session, the report's (long-lived keys) after the full day.
    const expires = (j: { expiresAt?: string }): number => Date.parse(j.expiresAt ?? '');
    assert.ok(expires(done.zip) <= sessionEnds.getTime(), `zip expiresAt ${String(done.zip.expiresAt)} is after the session end ${sessionEnds.toISOString()}`);
    assert.ok(expires(done.zip) > Date.now() + 20 * 60_000, `zip expiresAt ${String(done.zip.expiresAt)}`);
    assert.ok(expires(done.report) > Date.now() + 23 * 3_600_000, `report expiresAt ${String(done.report.expiresAt)}`);

    const body = await admin.send(new GetObjectCommand({ Bucket: done.zip.output!.bucket, Key: done.zip.output!.key }));
    const zip = parseZip(Buffer.from(await body.Body!.transformToByteArray()));
    assert.equal(zip.entries.map((e) => e.central.name).filter((n) => !n.endsWith('/')), ['hello.txt']);
    const report = await admin.send(new GetObjectCommand({ Bucket: done.report.output!.bucket, Key: done.report.output!.key }));
    assert.ok((await report.Body!.transformToByteArray()).length > 100, 'the report has bytes');
    admin.destroy();
  });
}

op.run();
