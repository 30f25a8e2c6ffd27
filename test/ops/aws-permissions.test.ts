/**
 * The IAM table (packages/shared/src/aws-permissions.ts) against the code and Terraform,
 * without servers: every SDK command the adapters construct is decided (a service's grant, or
 * provisioning/tooling only); the generated terraform/service-permissions.json and docs/iam.md
 * are what the table makes; Terraform's redrive margin is the code's. The same policies are
 * applied and enforced in moto by terraform-moto.slow.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import {
  NOT_SERVICE_CALLS, READINESS_PROBES, REDRIVE_MARGIN, SDK_ACTIONS, SERVICE_PERMISSIONS, grantActions, iamMarkdown, type SdkCall,
} from '@artifact-pipeline/shared/aws-permissions';
import { iamDocPath, permissionsJson, permissionsJsonPath } from './iam-generate.js';
import { repoRoot, terraformDir } from './ops-tools.js';

const adaptersDir = path.join(repoRoot, 'packages', 'shared', 'src', 'adapters');

/** `new XxxCommand(` in the given sources: the SDK calls they can make. */
export function constructedCommands(sources: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of sources) for (const m of text.matchAll(/new ([A-Z][A-Za-z0-9]*)Command\(/g)) out.add(m[1]!);
  return out;
}

/** Commands neither granted to a service nor listed as provisioning/tooling only. */
export function undecided(commands: Iterable<string>): string[] {
  const granted = new Set(Object.values(SERVICE_PERMISSIONS).flatMap((grants) => grants.flatMap((g) => g.calls)));
  return [...commands].filter((c) => !granted.has(c as SdkCall) && !(c in NOT_SERVICE_CALLS)).sort();
}

function adapterSources(): string[] {
  return fs.readdirSync(adaptersDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => fs.readFileSync(path.join(adaptersDir, f), 'utf8'));
}

const table = suite('the service → SDK calls → IAM table');

table('every SDK command the adapters construct is decided', () => {
  const commands = constructedCommands(adapterSources());
  assert.ok(commands.has('ReceiveMessage') && commands.has('ListMultipartUploads'), [...commands].join(' '));
  assert.equal(undecided(commands), []);
  for (const c of commands) assert.ok(c in SDK_ACTIONS, `${c} has no IAM action in SDK_ACTIONS`);
});

table('a new command in an adapter is reported', () => {
  const commands = constructedCommands(['await client.send(new PurgeQueueCommand({ QueueUrl }));', 'new GetObjectCommand({})']);
  assert.equal(undecided(commands), ['PurgeQueue']);
});

table('no service is granted a provisioning call, and abortStaleUploads is granted where it runs', () => {
  for (const [service, grants] of Object.entries(SERVICE_PERMISSIONS)) {
    const actions = grants.flatMap(grantActions);
    for (const banned of ['sqs:CreateQueue', 'sqs:SetQueueAttributes', 'sqs:ListQueues', 's3:CreateBucket', 's3:PutBucketNotification']) {
      assert.not.ok(actions.includes(banned), `${service} holds ${banned}`);
    }
  }
  for (const worker of ['zipper', 'reporter'] as const) {
    assert.ok(SERVICE_PERMISSIONS[worker].some((g) => g.calls.includes('ListMultipartUploads') && g.resources.includes('bucket:artifacts')), worker);
  }
});

table('each readiness probe is a list its role holds, on that prefix', () => {
  for (const [service, probe] of Object.entries(READINESS_PROBES)) {
    const grants = SERVICE_PERMISSIONS[service as keyof typeof SERVICE_PERMISSIONS];
    const holds = grants.some((g) => g.calls.includes('ListObjectsV2') && g.resources.includes(`bucket:${probe.bucket}`)
      && (g.listPrefixes === undefined || g.listPrefixes.includes(probe.prefix)));
    assert.ok(holds, `${service} cannot list ${probe.prefix} in ${probe.bucket}`);
  }
});

table.run();

const generated = suite('files generated from the table');

generated('terraform/service-permissions.json and docs/iam.md are up to date (npm run iam:generate)', () => {
  assert.fixture(fs.readFileSync(permissionsJsonPath, 'utf8'), permissionsJson());
  assert.fixture(fs.readFileSync(iamDocPath, 'utf8'), iamMarkdown());
});

generated('iam.tf builds every role policy from that file, and grants no action of its own', () => {
  const iam = fs.readFileSync(path.join(terraformDir, 'iam.tf'), 'utf8');
  assert.match(iam, /jsondecode\(file\("\$\{path\.module\}\/service-permissions\.json"\)\)/);
  assert.match(iam, /policy\s+= data\.aws_iam_policy_document\.service\[each\.key\]\.json/);
  // Outside the Kafka policy and the trust policy, no action is written in iam.tf itself.
  const own = [...iam.matchAll(/"(sqs|s3):[A-Za-z*]+"/g)].map((m) => m[0]).filter((a) => a !== '"s3:prefix"'); // a condition key, not an action
  assert.equal(own, []);
});

generated('Terraform redrives after max_attempts + the code\'s REDRIVE_MARGIN', () => {
  const versions = fs.readFileSync(path.join(terraformDir, 'versions.tf'), 'utf8');
  const sqs = fs.readFileSync(path.join(terraformDir, 'sqs.tf'), 'utf8');
  assert.match(versions, new RegExp(`redrive_margin\\s*=\\s*${REDRIVE_MARGIN}\\b`));
  assert.match(sqs, /maxReceiveCount\s*=\s*var\.max_attempts \+ local\.redrive_margin/);
});

generated.run();
