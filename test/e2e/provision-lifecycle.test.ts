/**
 * The artifacts bucket's lifecycle rule that aborts incomplete multipart uploads, as
 * `artifacts provision` sets it (and terraform/s3.tf): against moto S3, through the adapter
 * and through the command as a deploy runs it. The bucket's other rules stay.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { createS3ObjectStore, type S3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { ABORT_UPLOADS_RULE_ID, ensureAbortIncompleteUploadsRule } from '@artifact-pipeline/shared/adapters/s3-lifecycle-setup';
import { awsTestConfig, servers, uniqueName } from '../harness/support.js';
import { deleteQueues, pipelineEnv, provision } from './pipeline-processes-support.js';

interface Ctx {
  s3: S3Client;
  objects: S3ObjectStore;
  buckets: string[];
  prefixes: string[];
}

const rulesOf = async (ctx: Ctx, bucket: string): Promise<LifecycleRule[]> =>
  (await ctx.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
const abortRules = (rules: LifecycleRule[]): LifecycleRule[] => rules.filter((r) => r.AbortIncompleteMultipartUpload !== undefined);

const test = suite<Ctx>('bucket lifecycle: abort incomplete multipart uploads', { buckets: [], prefixes: [] } as unknown as Ctx);
test.before((ctx) => {
  const aws = awsTestConfig(servers().awsEndpointUrl);
  ctx.s3 = new S3Client(aws);
  ctx.objects = createS3ObjectStore(aws);
});
test.after(async (ctx) => {
  for (const bucket of ctx.buckets) await ctx.objects.removeBucket(bucket).catch(() => undefined);
  for (const prefix of ctx.prefixes) await deleteQueues(prefix);
  await ctx.objects.close();
  ctx.s3.destroy();
});

test('is a function', () => {
  assert.type(ensureAbortIncompleteUploadsRule, 'function');
});

test('adds the rule beside the bucket\'s other rules, once', async (ctx) => {
  const bucket = uniqueName('lifecycle');
  ctx.buckets.push(bucket);
  await ctx.objects.ensureBucket(bucket);
  const expire: LifecycleRule = { ID: 'expire-zips', Status: 'Enabled', Filter: { Prefix: 'zips/' }, Expiration: { Days: 7 } };
  await ctx.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [expire] } }));
  const connection = { ...awsTestConfig(servers().awsEndpointUrl), forcePathStyle: true };

  assert.equal(await ensureAbortIncompleteUploadsRule({ ...connection, bucket }), { outcome: 'created' });
  const rules = await rulesOf(ctx, bucket);
  assert.equal(rules.map((r) => r.ID).sort(), [ABORT_UPLOADS_RULE_ID, 'expire-zips'], 'the expiration rule is kept');
  const [abort] = abortRules(rules);
  assert.is(abort?.Status, 'Enabled');
  assert.is(abort?.AbortIncompleteMultipartUpload?.DaysAfterInitiation, 1);
  assert.is(abort?.Filter?.Prefix ?? '', '', 'the whole bucket');

  assert.equal(await ensureAbortIncompleteUploadsRule({ ...connection, bucket }), { outcome: 'found' });
  assert.is((await rulesOf(ctx, bucket)).length, 2, 'no second rule');
});

test('artifacts provision sets it on ARTIFACTS_BUCKET, and a second run finds it', async (ctx) => {
  const name = uniqueName('prov');
  ctx.buckets.push(name);
  ctx.prefixes.push(`${name}-`);
  const env = pipelineEnv('sqs', { busPrefix: `${name}-`, bucket: name });
  const first = await provision(env);
  assert.match(first, /created\s+bucket lifecycle rule/);
  const [abort, ...more] = abortRules(await rulesOf(ctx, name));
  assert.is(abort?.AbortIncompleteMultipartUpload?.DaysAfterInitiation, 1);
  assert.is(more.length, 0);
  const second = await provision(env);
  assert.match(second, /found\s+bucket lifecycle rule/);
  assert.is(abortRules(await rulesOf(ctx, name)).length, 1);
});

test.run();
