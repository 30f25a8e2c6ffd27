import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Job } from '@artifact-pipeline/shared';
import { describeInput } from './job-announcer.js';

const job = (type: 'zip' | 'report', input: Record<string, unknown>): Job => ({ id: 'j1', type, owner: 'alice', input } as unknown as Job);
const describe = suite('describeInput');

describe('is a function', () => assert.type(describeInput, 'function'));

describe('names a zip of a prefix or of keys by what ingest stored', () => {
  assert.is(describeInput(job('zip', { bucket: 'artifacts', prefix: 'inbox/alice/b1/', name: 'b1.zip', compression: 'auto' })), 's3://artifacts/inbox/alice/b1/ → b1.zip');
  assert.is(describeInput(job('zip', { bucket: 'src', keyCount: 3, name: 'three.zip' })), '3 keys of s3://src → three.zip');
});

describe('names a report by its S3 source or its inline row count', () => {
  const fromS3 = { format: 'xlsx', columnCount: 0, source: { bucket: 'artifacts', key: 'reports/alice/sales.csv', format: 'csv' }, name: 'sales.xlsx' };
  assert.is(describeInput(job('report', fromS3)), 's3://artifacts/reports/alice/sales.csv → sales.xlsx');
  assert.is(describeInput(job('report', { format: 'pdf', columnCount: 2, rowCount: 12, name: 'r.pdf' })), '12 inline rows → r.pdf');
});

describe.run();
