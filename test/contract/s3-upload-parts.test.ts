/**
 * The S3 uploader at S3's part limit, against moto. Reaching 10,000 real parts takes 50 GB,
 * so the limit is lowered to 2: a body needing a third part must be refused with
 * PAYLOAD_TOO_LARGE, and the parts already uploaded must not be left behind to bill.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError } from '@artifact-pipeline/shared';
import { createS3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { createS3Clients } from '@artifact-pipeline/shared/adapters/s3-client';
import { uploadObject } from '@artifact-pipeline/shared/adapters/s3-upload';
import { silentLogger } from '@artifact-pipeline/shared/logger';
import { awsTestConfig, servers, uniqueName, withDeadline } from '../harness/support.js';
import { MiB, randomStream } from './object-store-contract-support.js';

interface Context {
  store: ReturnType<typeof createS3ObjectStore>;
  clients: ReturnType<typeof createS3Clients>;
  bucket: string;
}

const parts = suite<Context>('s3 upload: the part limit', {} as Context);

parts.before(async (ctx) => {
  const connection = awsTestConfig(servers().awsEndpointUrl);
  ctx.store = createS3ObjectStore(connection);
  ctx.clients = createS3Clients(connection);
  ctx.bucket = uniqueName('parts');
  await ctx.store.ensureBucket(ctx.bucket);
});

parts.after(async (ctx) => {
  try {
    await ctx.store.removeBucket(ctx.bucket);
  } finally {
    ctx.clients.destroy();
    await ctx.store.close();
  }
});

parts('a body that outgrows the part limit is refused with PAYLOAD_TOO_LARGE and leaves nothing behind', async ({ store, clients, bucket }) => {
  const body = randomStream(11 * MiB).body; // two full 5 MiB parts, then 1 MiB for a third
  const failure = await withDeadline(
    uploadObject(clients.client, silentLogger(), bucket, 'big/x.bin', body, { partSize: 5 * MiB, expectedSize: 11 * MiB }, 2).then(
      () => undefined,
      (err: unknown) => err,
    ),
    60_000,
    'the refused upload to settle',
  );
  assert.ok(isPipelineError(failure), `expected a PipelineError, got ${String(failure)}`);
  assert.is(failure.code, ErrorCode.PAYLOAD_TOO_LARGE);
  assert.is(failure.retriable, false, 'retrying cannot make it fit');
  assert.match(failure.message, `s3://${bucket}/big/x.bin outgrew S3's 2 parts of ${5 * MiB} bytes (${11 * MiB} bytes were expected)`);
  assert.equal(await store.listIncompleteUploads(bucket, 'big/'), [], 'the multipart upload is aborted');
  assert.is(await store.head(bucket, 'big/x.bin'), undefined, 'no object was written');
});

parts('a body that fills exactly the last allowed part is stored whole', async ({ store, clients, bucket }) => {
  const source = randomStream(10 * MiB);
  const put = await withDeadline(
    uploadObject(clients.client, silentLogger(), bucket, 'fits/x.bin', source.body, { partSize: 5 * MiB }, 2),
    60_000,
    'the upload at the limit',
  );
  assert.is(put.size, 10 * MiB);
  assert.match(put.etag ?? '', /-2$/, 'two parts');
  assert.is((await store.head(bucket, 'fits/x.bin'))?.size, 10 * MiB);
});

parts.run();
