import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES } from './config/ingest-rules.js';
import { isPipelineError } from './errors.js';
import { createSourcePolicy, ruleArea, type SourcePolicy, type SourceReader, type SourceRef } from './source-policy.js';
import { jobOutputKey } from './worker/output-key.js';

const alice: SourceReader = { owner: 'alice', admin: false };
const admin: SourceReader = { owner: 'ada', admin: true };

const policy = createSourcePolicy({
  artifactsBucket: 'artifacts',
  allowedBuckets: ['media'],
  rules: [...DEFAULT_INGEST_RULES, { pattern: 'drop/{region}/{owner}/{batch}/_GO', action: 'zip', source: 'drop/{region}/{owner}/{batch}/', name: 'x.zip', bucket: 'media' }],
  grants: [
    { owners: ['alice'], prefix: 'inbox/bob/shared/' },
    { bucket: 'media', prefix: 'teams/{owner}/' },
  ],
});

/** The code and message a check throws, or 'ok:<access>'. */
function outcome(p: SourcePolicy, reader: SourceReader, source: SourceRef): string {
  try {
    return `ok:${p.check(reader, source, 'source')}`;
  } catch (err) {
    if (!isPipelineError(err) || err.retriable) throw err;
    return `${err.code}: ${err.message}`;
  }
}

const check = suite('createSourcePolicy().check');

check('has check, checkBucket and areasOf', () => {
  for (const m of ['check', 'checkBucket', 'areasOf'] as const) assert.type(policy[m], 'function');
});

check('an owner reads its default areas, in every allowed bucket', () => {
  for (const prefix of ['inbox/alice/', 'inbox/alice/b1/', 'reports/alice/', 'videos/alice/x/']) {
    assert.is(outcome(policy, alice, { bucket: 'artifacts', prefix }), 'ok:owner', prefix);
    assert.is(outcome(policy, alice, { bucket: 'media', prefix }), 'ok:owner', prefix);
  }
  assert.is(outcome(policy, alice, { bucket: 'artifacts', key: 'reports/alice/sales.csv' }), 'ok:owner');
});

check('another owner\'s areas, a prefix that lists past the area, and the unknown are refused naming field and value', () => {
  for (const prefix of ['inbox/bob/', 'inbox/alice', 'inbox/', '', 'inbox/alicex/', 'elsewhere/alice/']) {
    const got = outcome(policy, alice, { bucket: 'media', prefix });
    assert.ok(got.startsWith(`SOURCE_FORBIDDEN: source.prefix: ${prefix === '' ? 'the whole bucket' : prefix} in media is outside what owner alice may read`), got);
  }
});

check('a key list is checked key by key and the first refused key is named', () => {
  const got = outcome(policy, alice, { bucket: 'artifacts', keys: ['inbox/alice/a', 'reports/alice/b.csv', 'inbox/bob/c', 'inbox/bob/d'] });
  assert.match(got, /^SOURCE_FORBIDDEN: source\.keys\[2\]: inbox\/bob\/c /);
  assert.is(outcome(policy, alice, { bucket: 'artifacts', keys: ['inbox/alice/a', 'videos/alice/b'] }), 'ok:owner');
});

check('"." and ".." segments are refused for everyone, even inside an area', () => {
  for (const reader of [alice, admin]) {
    assert.match(outcome(policy, reader, { bucket: 'artifacts', prefix: 'inbox/alice/../bob/' }), /^SOURCE_FORBIDDEN: source\.prefix: .* "\." or "\.\." segment/);
    assert.match(outcome(policy, reader, { bucket: 'artifacts', key: 'inbox/alice/./x' }), /^SOURCE_FORBIDDEN/);
  }
  assert.is(outcome(policy, alice, { bucket: 'artifacts', key: 'inbox/alice/..x/a.b' }), 'ok:owner', 'dots inside a name are fine');
});

check('the internal prefixes of ARTIFACTS_BUCKET are never a non-admin source, whatever the owner is called', () => {
  const outputs = jobOutputKey('zips', new Date('2026-03-04T00:00:00Z'), 'job-1', 'a.zip');
  for (const owner of ['alice', 'outputs', 'journal', '2026']) {
    for (const source of [{ prefix: 'outputs/' }, { prefix: 'journal/' }, { prefix: 'requests/' }, { prefix: 'webhook-dlq/' }, { prefix: 'jour' }, { key: outputs }, { keys: [`requests/job-1.json`] }]) {
      const got = outcome(policy, { owner, admin: false }, { bucket: 'artifacts', ...source } as SourceRef);
      assert.ok(got.startsWith('SOURCE_FORBIDDEN: '), `${owner} ${JSON.stringify(source)}: ${got}`);
    }
  }
  // Not even a grant of the whole bucket reaches them (the configuration refuses such a grant too).
  const open = createSourcePolicy({ artifactsBucket: 'artifacts', allowedBuckets: [], grants: [{ prefix: '' }] });
  assert.is(outcome(open, alice, { bucket: 'artifacts', prefix: 'inbox/anyone/' }), 'ok:owner');
  for (const prefix of ['', 'outputs/zips/', 'journal/', 'requests/', 'webhook-dlq/']) {
    assert.match(outcome(open, alice, { bucket: 'artifacts', prefix }), /^SOURCE_FORBIDDEN: .* reaches [a-z-]+\/ of artifacts, which holds the pipeline's own objects/, prefix);
  }
  // Only ARTIFACTS_BUCKET has them: another bucket's journal/ is an ordinary folder.
  assert.match(outcome(policy, alice, { bucket: 'media', prefix: 'journal/' }), /is outside what owner alice may read/);
});

check('rules give their owner the area up to the {owner} segment, in the rule\'s bucket', () => {
  assert.is(outcome(policy, alice, { bucket: 'media', prefix: 'drop/eu/alice/b1/' }), 'ok:owner');
  assert.match(outcome(policy, alice, { bucket: 'media', prefix: 'drop/eu/bob/b1/' }), /^SOURCE_FORBIDDEN/);
  assert.match(outcome(policy, alice, { bucket: 'artifacts', prefix: 'drop/eu/alice/' }), /^SOURCE_FORBIDDEN/, 'not in another bucket');
  assert.is(ruleArea('inbox/{owner}/{batch}/_READY'), 'inbox/{owner}/');
  assert.is(ruleArea('{owner}/{name}.csv'), '{owner}/');
  assert.is(ruleArea('drop/{owner}-{batch}/_GO'), undefined);
});

check('grants: per owner, or for every owner with {owner}, in their bucket', () => {
  assert.is(outcome(policy, alice, { bucket: 'artifacts', prefix: 'inbox/bob/shared/q1/' }), 'ok:owner');
  assert.match(outcome(policy, { owner: 'carol', admin: false }, { bucket: 'artifacts', prefix: 'inbox/bob/shared/' }), /^SOURCE_FORBIDDEN/);
  assert.is(outcome(policy, alice, { bucket: 'media', prefix: 'teams/alice/' }), 'ok:owner');
  assert.match(outcome(policy, alice, { bucket: 'media', prefix: 'teams/bob/' }), /^SOURCE_FORBIDDEN/);
  assert.match(outcome(policy, alice, { bucket: 'artifacts', prefix: 'teams/alice/' }), /^SOURCE_FORBIDDEN/);
});

check('an owner that is not one path segment gets no {owner} area', () => {
  for (const owner of ['bob/..', 'a/b', '..', '']) {
    assert.match(outcome(policy, { owner, admin: false }, { bucket: 'artifacts', prefix: `inbox/${owner}/` }), /^SOURCE_FORBIDDEN/, owner);
  }
});

check('admins read anything in an allowed bucket; the access says whether the scope was needed', () => {
  assert.is(outcome(policy, admin, { bucket: 'artifacts', prefix: 'inbox/bob/' }), 'ok:admin');
  assert.is(outcome(policy, admin, { bucket: 'artifacts', prefix: 'journal/' }), 'ok:admin');
  assert.is(outcome(policy, admin, { bucket: 'artifacts', prefix: '' }), 'ok:admin');
  assert.is(outcome(policy, admin, { bucket: 'artifacts', prefix: 'inbox/ada/' }), 'ok:owner');
});

check('a bucket outside ARTIFACTS_BUCKET and ALLOWED_SOURCE_BUCKETS is BUCKET_NOT_ALLOWED for everyone', () => {
  for (const reader of [alice, admin]) {
    assert.is(outcome(policy, reader, { bucket: 'other', prefix: 'inbox/alice/' }), 'BUCKET_NOT_ALLOWED: source.bucket: bucket other is not allowed as a source (ARTIFACTS_BUCKET or ALLOWED_SOURCE_BUCKETS)');
  }
});

check.run();

const areas = suite('createSourcePolicy().areasOf');

areas('lists an owner\'s areas with their bucket', () => {
  assert.equal(policy.areasOf('alice'), ['*:inbox/alice/', '*:reports/alice/', '*:videos/alice/', 'media:drop/{region}/alice/', '*:inbox/bob/shared/', 'media:teams/alice/']);
});

areas.run();
