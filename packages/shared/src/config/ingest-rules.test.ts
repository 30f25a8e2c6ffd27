import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from './load-config.js';
import { DEFAULT_INGEST_RULES, parseIngestRules, placeholdersOf } from './ingest-rules.js';
import { minimalEnv as minimal, problemsOf } from './config-test-support.js';

const parse = suite('parseIngestRules');

parse('is a function', () => {
  assert.type(parseIngestRules, 'function');
});

parse('unset means the two default rules of DESIGN §7, as fresh copies', () => {
  const { rules, problems } = parseIngestRules(undefined);
  assert.equal(problems, []);
  assert.equal(rules, DEFAULT_INGEST_RULES);
  assert.is.not(rules[0], DEFAULT_INGEST_RULES[0]);
});

parse('placeholdersOf lists the named segments in order', () => {
  assert.equal(placeholdersOf('inbox/{owner}/{batch}/_READY'), ['owner', 'batch']);
  assert.equal(placeholdersOf('plain/key'), []);
});

parse('a template with broken braces or bad names', () => {
  const { problems } = parseIngestRules(
    JSON.stringify([{ pattern: 'in/{owner}/{1x}/{', action: 'zip', source: 'in/{owner}/', name: 'a.zip' }]),
  );
  assert.equal(problems, [
    'INGEST_RULES[0].pattern: unbalanced { or }',
    'INGEST_RULES[0].pattern: {1x} is not a valid segment name',
  ]);
});

parse.run();

const viaConfig = suite('loadConfig INGEST_RULES');

viaConfig('problems name the rule index', () => {
  const rules = JSON.stringify([
    { pattern: 'inbox/{owner}/{batch}/_READY', action: 'zip', name: '{batch}.zip' },
    { pattern: 'reports/{owner}/{name}.csv', action: 'report', format: 'docx', name: '{name}.xlsx', colour: 'red' },
    { pattern: 'drop/{name}', action: 'zip', source: 'drop/{dir}/', name: '{name}.zip', bucket: 'Bad_Bucket' },
    'not a rule',
    { pattern: 'x/{owner}', action: 'copy' },
  ]);
  assert.equal(problemsOf({ ...minimal, INGEST_RULES: rules }), [
    'INGEST_RULES[0].source: expected a non-empty string',
    'INGEST_RULES[1].colour: not a field of a report rule',
    'INGEST_RULES[1].format: expected "xlsx" or "pdf" for a report rule (got "docx")',
    'INGEST_RULES[2].pattern: must name the {owner} segment (every job has an owner)',
    'INGEST_RULES[2].source: {dir} is not a segment of the pattern',
    'INGEST_RULES[2].bucket: expected an S3 bucket name (got "Bad_Bucket")',
    'INGEST_RULES[3]: expected an object',
    'INGEST_RULES[4].action: expected "zip" or "report" (got "copy")',
  ]);
  assert.match(problemsOf({ ...minimal, INGEST_RULES: '[{' })[0] ?? '', /^INGEST_RULES: not JSON \(/);
  assert.equal(problemsOf({ ...minimal, INGEST_RULES: '{}' }), ['INGEST_RULES: expected a JSON array of rules']);
  assert.equal(loadConfig({ ...minimal, INGEST_RULES: '[]' }).ingest.rules, []);
});

viaConfig.run();
