import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from './load-config.js';
import { internalPrefixProblems, parseSourceGrants } from './source-grants.js';
import { minimalEnv as minimal, problemsOf } from './config-test-support.js';

const buckets = { artifacts: 'artifacts', allowed: ['media'] };

const grants = suite('parseSourceGrants');

grants('is a function; unset means no grants', () => {
  assert.type(parseSourceGrants, 'function');
  assert.equal(parseSourceGrants(undefined, buckets), { grants: [], problems: [] });
});

grants('reads per-owner and every-owner grants', () => {
  const text = JSON.stringify([{ owners: ['alice'], prefix: 'inbox/bob/shared/' }, { bucket: 'media', prefix: 'teams/{owner}/' }, { bucket: 'media', prefix: '' }]);
  assert.equal(parseSourceGrants(text, buckets), {
    grants: [{ owners: ['alice'], prefix: 'inbox/bob/shared/' }, { bucket: 'media', prefix: 'teams/{owner}/' }, { bucket: 'media', prefix: '' }],
    problems: [],
  });
});

grants('every problem names the entry and the field', () => {
  const text = JSON.stringify([
    { prefix: 'inbox/x' },
    { prefix: 'a/../b/', colour: 'red' },
    { prefix: 'teams/{team}/' },
    { prefix: 'x/', bucket: 'elsewhere' },
    { prefix: 'x/', owners: [] },
    { bucket: 'media' },
    { prefix: 'journal/' },
    { prefix: '' },
    { prefix: '{owner}/' },
    'inbox/',
  ]);
  assert.equal(parseSourceGrants(text, buckets).problems, [
    'SOURCE_GRANTS[0].prefix: must end with / (got "inbox/x")',
    'SOURCE_GRANTS[1].colour: not a field of a grant (prefix, bucket, owners)',
    'SOURCE_GRANTS[1].prefix: must not have a . or .. segment',
    'SOURCE_GRANTS[2].prefix: {owner} is the only placeholder a grant may use',
    'SOURCE_GRANTS[3].bucket: elsewhere is neither ARTIFACTS_BUCKET nor in ALLOWED_SOURCE_BUCKETS',
    'SOURCE_GRANTS[4].owners: expected a non-empty array of owner names',
    "SOURCE_GRANTS[5].prefix: expected a string ('' = the whole bucket)",
    'SOURCE_GRANTS[6].prefix: could reach journal/ of ARTIFACTS_BUCKET, which is never a source (give another bucket)',
    'SOURCE_GRANTS[7].prefix: could reach outputs/ of ARTIFACTS_BUCKET, which is never a source (give another bucket)',
    'SOURCE_GRANTS[8].prefix: could reach outputs/ of ARTIFACTS_BUCKET, which is never a source (give another bucket)',
    'SOURCE_GRANTS[9]: expected an object {"prefix", "bucket", "owners"}',
  ]);
  assert.equal(parseSourceGrants('{', buckets).problems.length, 1);
  assert.equal(parseSourceGrants('{}', buckets).problems, ['SOURCE_GRANTS: expected a JSON array of grants']);
});

grants.run();

const rules = suite('internalPrefixProblems');

rules('refuses rules that could match or read the pipeline\'s own prefixes of ARTIFACTS_BUCKET', () => {
  const problems = internalPrefixProblems([
    { pattern: 'outputs/{owner}/{name}.csv', action: 'report', format: 'xlsx', name: '{name}.xlsx' },
    { pattern: '{owner}/{batch}/_READY', action: 'zip', source: '{owner}/{batch}/', name: '{batch}.zip' },
    { pattern: 'in/{owner}/_GO', action: 'zip', source: 'journal/', name: 'j.zip' },
    { pattern: '{owner}/{name}.csv', action: 'report', format: 'pdf', name: '{name}.pdf', bucket: 'media' },
    { pattern: 'inbox/{owner}/{batch}/_READY', action: 'zip', source: 'inbox/{owner}/{batch}/', name: '{batch}.zip' },
  ], 'artifacts');
  assert.equal(problems, [
    'INGEST_RULES[0].pattern: could match keys under outputs/ of ARTIFACTS_BUCKET, where the pipeline writes (start it with another folder, or set "bucket")',
    'INGEST_RULES[1].pattern: could match keys under outputs/ of ARTIFACTS_BUCKET, where the pipeline writes (start it with another folder, or set "bucket")',
    'INGEST_RULES[1].source: could match keys under outputs/ of ARTIFACTS_BUCKET, where the pipeline writes (start it with another folder, or set "bucket")',
    'INGEST_RULES[2].source: could match keys under journal/ of ARTIFACTS_BUCKET, where the pipeline writes (start it with another folder, or set "bucket")',
  ]);
});

rules.run();

const viaConfig = suite('loadConfig SOURCE_GRANTS and INGEST_RULES');

viaConfig('the grants land in config.sources; problems stop the start', () => {
  const config = loadConfig({ ...minimal, ALLOWED_SOURCE_BUCKETS: 'media', SOURCE_GRANTS: '[{"bucket":"media","prefix":"teams/{owner}/"}]' });
  assert.equal(config.sources.grants, [{ bucket: 'media', prefix: 'teams/{owner}/' }]);
  assert.equal(loadConfig(minimal).sources.grants, []);
  assert.equal(problemsOf({ ...minimal, SOURCE_GRANTS: '[{"bucket":"media","prefix":"x/"}]' }), [
    'SOURCE_GRANTS[0].bucket: media is neither ARTIFACTS_BUCKET nor in ALLOWED_SOURCE_BUCKETS',
  ]);
  assert.equal(problemsOf({ ...minimal, ARTIFACTS_BUCKET: 'store', INGEST_RULES: '[{"pattern":"{owner}/{name}.csv","action":"report","format":"xlsx","name":"{name}.xlsx"}]' }), [
    'INGEST_RULES[0].pattern: could match keys under outputs/ of ARTIFACTS_BUCKET, where the pipeline writes (start it with another folder, or set "bucket")',
  ]);
  // Bound to another bucket, the same rule cannot reach the outputs.
  assert.ok(loadConfig({ ...minimal, ARTIFACTS_BUCKET: 'store', INGEST_RULES: '[{"pattern":"{owner}/{name}.csv","action":"report","format":"xlsx","name":"{name}.xlsx","bucket":"drops"}]' }));
});

viaConfig.run();
