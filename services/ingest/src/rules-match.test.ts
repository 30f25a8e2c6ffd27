import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_INGEST_RULES, internalPrefixProblems, parseIngestRules, type IngestRule } from '@artifact-pipeline/shared';
import { jobOutputKey } from '@artifact-pipeline/shared/worker/output-key';
import { compilePattern, createRuleMatcher, fillTemplate } from './rules-match.js';
import { commandForObject, s3IdempotencyKey } from './rules-command.js';

const Compile = suite('compilePattern');

Compile('returns the regex and the segment names in order', () => {
  const { regex, names } = compilePattern('inbox/{owner}/{batch}/_READY');
  assert.instance(regex, RegExp);
  assert.equal(names, ['owner', 'batch']);
});

Compile('treats regex characters in the pattern as literals', () => {
  const { regex } = compilePattern('data.v1/{owner}/(x)+[y]/{name}.csv');
  assert.ok(regex.test('data.v1/a/(x)+[y]/f.csv'));
  assert.not.ok(regex.test('dataXv1/a/(x)+[y]/f.csv'));
  assert.not.ok(regex.test('data.v1/a/xxy/f.csv'));
});

Compile.run();

const Match = suite('createRuleMatcher');

Match('is a factory returning a matcher', () => {
  assert.type(createRuleMatcher([]), 'function');
  assert.is(createRuleMatcher([])('b', 'inbox/a/b/_READY'), undefined);
});

Match('the default zip rule names owner and batch', () => {
  const match = createRuleMatcher(DEFAULT_INGEST_RULES)('uploads', 'inbox/team-a/batch1/_READY');
  assert.ok(match);
  assert.is(match.index, 0);
  assert.is(match.rule.action, 'zip');
  assert.equal({ ...match.segments }, { owner: 'team-a', batch: 'batch1' });
});

Match('a segment is one path segment: deeper or empty segments do not match', () => {
  const match = createRuleMatcher(DEFAULT_INGEST_RULES);
  assert.is(match('b', 'inbox/team-a/batch1/sub/_READY'), undefined);
  assert.is(match('b', 'inbox/team-a//_READY'), undefined);
  assert.is(match('b', 'inbox//batch1/_READY'), undefined);
  assert.is(match('b', 'inbox/team-a/batch1/_READY.txt'), undefined);
  assert.is(match('b', 'x/inbox/team-a/batch1/_READY'), undefined);
  assert.is(match('b', 'inbox/team-a/batch1/x.txt'), undefined);
});

Match('matching is case-sensitive and "." or ".." never count as a segment', () => {
  const match = createRuleMatcher(DEFAULT_INGEST_RULES);
  assert.is(match('b', 'Inbox/team-a/batch1/_READY'), undefined);
  assert.is(match('b', 'inbox/../batch1/_READY'), undefined);
  assert.is(match('b', 'inbox/team-a/./_READY'), undefined);
});

Match('a segment may be part of a path segment, with spaces and non-ASCII', () => {
  const match = createRuleMatcher(DEFAULT_INGEST_RULES)('b', 'reports/Zoë Ltd/sales 2024.q3.csv');
  assert.ok(match);
  assert.is(match.rule.action, 'report');
  assert.equal({ ...match.segments }, { owner: 'Zoë Ltd', name: 'sales 2024.q3' });
});

Match('a rule with a bucket matches that bucket only; the first match wins', () => {
  const rules: IngestRule[] = [
    { pattern: 'drop/{owner}/{batch}/_GO', action: 'zip', source: 'drop/{owner}/{batch}/', name: 'special-{batch}.zip', bucket: 'special' },
    { pattern: 'drop/{owner}/{batch}/_GO', action: 'zip', source: 'drop/{owner}/', name: '{owner}-{batch}.zip' },
  ];
  const match = createRuleMatcher(rules);
  assert.is(match('special', 'drop/o/b/_GO')?.index, 0);
  assert.is(match('other', 'drop/o/b/_GO')?.index, 1);
});

Match('works on rules parsed from INGEST_RULES', () => {
  const { rules, problems } = parseIngestRules(
    JSON.stringify([{ pattern: 'in/{owner}/{name}.jsonl', action: 'report', format: 'pdf', name: '{name}.pdf' }]),
  );
  assert.equal(problems, []);
  assert.equal({ ...createRuleMatcher(rules)('b', 'in/o/rows.jsonl')?.segments }, { owner: 'o', name: 'rows' });
});

Match.run();

const Fill = suite('fillTemplate');

Fill('replaces each named segment', () => {
  assert.is(fillTemplate('inbox/{owner}/{batch}/', { owner: 'team-a', batch: 'b1' }), 'inbox/team-a/b1/');
  assert.is(fillTemplate('{batch}.zip', { batch: 'b 1' }), 'b 1.zip');
  assert.is(fillTemplate('{owner}-{owner}', { owner: 'x' }), 'x-x');
});

Fill.run();

const Command = suite('commandForObject');

const object = { bucket: 'uploads', key: 'inbox/team-a/batch1/_READY', size: 0, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' };

Command('a zip rule ZIPs the prefix of the object bucket, leaving the marker out', () => {
  const match = createRuleMatcher(DEFAULT_INGEST_RULES)(object.bucket, object.key)!;
  const cmd = commandForObject(match, object);
  assert.is(cmd.type, 'zip');
  assert.is(cmd.owner, 'team-a');
  assert.is(cmd.idempotencyKey, 's3:uploads:inbox/team-a/batch1/_READY:0055AED6DCD90281E5');
  assert.match(cmd.requestHash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(cmd.payload, {
    source: { bucket: 'uploads', prefix: 'inbox/team-a/batch1/', marker: 'inbox/team-a/batch1/_READY' },
    output: { name: 'batch1.zip' },
    options: { compression: 'auto' },
  });
});

Command('the same object always makes the same request hash', () => {
  const match = createRuleMatcher(DEFAULT_INGEST_RULES)(object.bucket, object.key)!;
  assert.is(commandForObject(match, object).requestHash, commandForObject(match, { ...object }).requestHash);
});

Command('a report rule renders the object itself; .jsonl keys are JSON lines', () => {
  const rules: IngestRule[] = [...DEFAULT_INGEST_RULES, { pattern: 'rows/{owner}/{name}.jsonl', action: 'report', format: 'pdf', name: '{name}.pdf' }];
  const matcher = createRuleMatcher(rules);
  const csv = { ...object, key: 'reports/team-b/sales.csv' };
  const cmd = commandForObject(matcher(csv.bucket, csv.key)!, csv);
  assert.is(cmd.type, 'report');
  assert.is(cmd.owner, 'team-b');
  assert.equal(cmd.payload, {
    format: 'xlsx', title: '', columns: [],
    source: { bucket: 'uploads', key: 'reports/team-b/sales.csv', format: 'csv' },
    output: { name: 'sales.xlsx' },
  });
  const jsonl = { ...object, key: 'rows/team-b/x.jsonl' };
  const second = commandForObject(matcher(jsonl.bucket, jsonl.key)!, jsonl);
  assert.equal(second.type === 'report' && second.payload.source, { bucket: 'uploads', key: 'rows/team-b/x.jsonl', format: 'jsonl' });
});

Command.run();

const Key = suite('s3IdempotencyKey');

Key('is s3:{bucket}:{key}:{sequencer}, with the ETag and size standing in for a missing sequencer', () => {
  assert.is(s3IdempotencyKey(object), `s3:uploads:${object.key}:0055AED6DCD90281E5`);
  assert.is(s3IdempotencyKey({ ...object, sequencer: '' }), `s3:uploads:${object.key}:etag-${object.etag}-0`);
});

Key.run();

const Outputs = suite('createRuleMatcher and the output keys');

Outputs('no rule a configuration may hold matches a key the workers write', () => {
  const created = new Date('2026-03-04T05:06:07Z');
  const outputs = [jobOutputKey('reports', created, 'job-1', 'sales.csv'), jobOutputKey('zips', created, 'job-2', '_READY'), jobOutputKey('reports', created, 'job-3', 'x.jsonl')];
  const loose: IngestRule[] = [
    { pattern: '{owner}/{kind}/{y}/{m}/{d}/{job}/{name}.csv', action: 'report', format: 'xlsx', name: '{name}.xlsx' },
    { pattern: 'outputs/{owner}/{y}/{m}/{d}/{job}/_READY', action: 'zip', source: 'outputs/{owner}/', name: 'x.zip' },
  ];
  // The loose rules would match: that is why the configuration refuses them.
  assert.ok(outputs.some((key) => createRuleMatcher(loose)('artifacts', key) !== undefined));
  assert.equal(internalPrefixProblems(loose, 'artifacts').length, 3);
  const accepted = createRuleMatcher(DEFAULT_INGEST_RULES);
  for (const key of outputs) {
    assert.ok(key.startsWith('outputs/'), key);
    assert.is(accepted('artifacts', key), undefined, key);
  }
});

Outputs.run();
