import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES, type IngestRule } from '@artifact-pipeline/shared';
import { notificationPrefixes } from './command-provision.js';

const s3 = { artifactsBucket: 'artifacts', uploadsBucket: 'artifacts', allowedSourceBuckets: [], forcePathStyle: true, downloadUrlTtlSeconds: 60, notificationsQueue: 'q' };
const prefixes = suite('notificationPrefixes');

prefixes('is a function', () => assert.type(notificationPrefixes, 'function'));

prefixes('the default rules watch inbox/ and reports/', () => {
  assert.equal(notificationPrefixes({ s3, ingest: { rules: DEFAULT_INGEST_RULES } }), ['inbox/', 'reports/']);
});

prefixes('drops prefixes inside another, and rules on other buckets', () => {
  const rules: IngestRule[] = [
    { pattern: 'drops/{owner}/{batch}/_READY', action: 'zip', source: 'drops/{owner}/{batch}/', name: '{batch}.zip' },
    { pattern: 'drops/special/{owner}/{name}.csv', action: 'report', format: 'pdf', name: '{name}.pdf' },
    { pattern: 'elsewhere/{owner}/{name}.csv', action: 'report', format: 'pdf', name: '{name}.pdf', bucket: 'other' },
  ];
  assert.equal(notificationPrefixes({ s3, ingest: { rules } }), ['drops/']);
});

prefixes('a pattern starting with a segment watches the whole bucket', () => {
  const rules: IngestRule[] = [
    { pattern: '{owner}/{batch}/_READY', action: 'zip', source: '{owner}/{batch}/', name: '{batch}.zip' },
    { pattern: 'inbox/{owner}/{batch}/_READY', action: 'zip', source: 'inbox/{owner}/{batch}/', name: '{batch}.zip' },
  ];
  assert.equal(notificationPrefixes({ s3, ingest: { rules } }), ['']);
});

prefixes.run();
