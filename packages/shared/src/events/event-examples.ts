/**
 * One valid payload per event type: the examples in docs/events.md, and fixtures for
 * tests that need "an event of every type".
 */
import { EventType } from './envelope.js';
import type { EventData } from './payloads.js';

const jobId = '6f1c2a9e-3b7d-4c1e-9a55-0d2b8e4f7a10';

export const exampleData: { readonly [T in EventType]: EventData<T> } = {
  [EventType.objectCreated]: {
    bucket: 'uploads',
    key: 'inbox/alice/batch-7/_READY',
    size: 0,
    etag: 'd41d8cd98f00b204e9800998ecf8427e',
    sequencer: '0062E99A88DC407460',
  },
  [EventType.zipRequested]: {
    jobId,
    owner: 'alice',
    source: { bucket: 'uploads', prefix: 'inbox/alice/batch-7/', marker: 'inbox/alice/batch-7/_READY' },
    output: { name: 'batch-7.zip' },
    options: { compression: 'auto', includeManifest: true },
    notify: { webhook: 'https://hooks.example.com/artifacts' },
  },
  [EventType.reportRequested]: {
    jobId,
    owner: 'alice',
    format: 'xlsx',
    title: 'Sales Q3',
    columns: [
      { key: 'region', header: 'Region' },
      { key: 'total', header: 'Total', type: 'currency', width: 14, format: '#,##0.00' },
      { key: 'closed', header: 'Closed on', type: 'date', format: 'yyyy-mm-dd' },
    ],
    source: { bucket: 'uploads', key: 'reports/alice/sales.csv', format: 'csv' },
    output: { name: 'sales.xlsx' },
    onError: 'skip',
  },
  [EventType.jobStarted]: { jobId, type: 'zip', attempt: 1 },
  [EventType.jobProgressed]: {
    jobId,
    bytesDone: 52_428_800,
    bytesTotal: 209_715_200,
    itemsDone: 120,
    itemsTotal: 480,
  },
  [EventType.jobCompleted]: {
    jobId,
    output: {
      bucket: 'artifacts',
      key: `outputs/zips/2025/03/14/${jobId}/batch-7.zip`,
      size: 209_812_345,
      contentType: 'application/zip',
    },
    downloadUrl: `https://artifacts.s3.amazonaws.com/zips/2025/03/14/${jobId}/batch-7.zip?X-Amz-Expires=86400`,
    expiresAt: '2025-03-15T09:30:00.000Z',
    manifest: { included: 480, skipped: [{ key: 'inbox/alice/batch-7/../x', reason: 'unsafe path' }] },
  },
  [EventType.jobFailed]: {
    jobId,
    error: { code: 'SOURCE_NOT_FOUND', message: 'bucket "uploads" does not exist', retriable: false },
    attempt: 1,
    final: true,
  },
};
