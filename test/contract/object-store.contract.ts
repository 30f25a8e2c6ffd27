/**
 * The ObjectStore contract: what every adapter (S3, local folder) must do, run by each
 * adapter's test file with a fixture that builds the store and its buckets. Each group of
 * cases is one uvu suite with its own fixture and bucket, removed when the suite ends.
 *
 *   objectStoreContract('s3', async () => ({ store, newBucket, unusedBucket, multipartEtags, close }));
 */
import { listCases } from './object-store-contract-list.js';
import { objectCases } from './object-store-contract-objects.js';
import { presignCases } from './object-store-contract-presign.js';
import type { MakeFixture } from './object-store-contract-support.js';
import { uploadCases } from './object-store-contract-uploads.js';

export type { CaseContext, MakeFixture, ObjectStoreFixture } from './object-store-contract-support.js';

export function objectStoreContract(name: string, makeFixture: MakeFixture): void {
  objectCases(name, makeFixture);
  listCases(name, makeFixture);
  presignCases(name, makeFixture);
  uploadCases(name, makeFixture);
}
