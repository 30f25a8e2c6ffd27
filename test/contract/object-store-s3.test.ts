/**
 * The ObjectStore contract against S3 (moto at AWS_ENDPOINT_URL). Each suite works in its own
 * bucket `test-os-<uuid8>`, emptied and deleted when the suite ends.
 */
import { createS3ObjectStore } from '@artifact-pipeline/shared/adapters/s3-object-store';
import { awsTestConfig, servers, uniqueName } from '../harness/support.js';
import { objectStoreContract, type ObjectStoreFixture } from './object-store.contract.js';

async function makeFixture(): Promise<ObjectStoreFixture> {
  const store = createS3ObjectStore(awsTestConfig(servers().awsEndpointUrl));
  const named: string[] = [];
  const name = (): string => {
    const bucket = uniqueName('os');
    named.push(bucket);
    return bucket;
  };
  return {
    store,
    multipartEtags: true,
    async newBucket() {
      const bucket = name();
      await store.ensureBucket(bucket);
      return bucket;
    },
    unusedBucket: name,
    async close() {
      try {
        for (const bucket of named) await store.removeBucket(bucket);
      } finally {
        await store.close();
      }
    },
  };
}

objectStoreContract('s3', makeFixture);
