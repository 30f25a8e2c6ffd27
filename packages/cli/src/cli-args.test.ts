import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { helpText, integerOption, parseCommandArgs, type CommandSpec } from './cli-args.js';
import { COMMANDS, mainHelp } from './commands.js';

const spec: CommandSpec = {
  name: 'zip',
  usage: 'artifacts zip s3://bucket/prefix/',
  summary: 'Zips.',
  positionals: [1, 1],
  options: { wait: { type: 'boolean', help: 'follow' }, keys: { type: 'string', help: 'key list' }, limit: { type: 'string', help: 'n' } },
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

const parse = suite('parseCommandArgs');

parse('reads options, positionals, --json and --help', () => {
  const args = parseCommandArgs(spec, ['s3://b/p/', '--wait', '--keys', 'k.txt', '--json']);
  assert.equal(args.positionals, ['s3://b/p/']);
  assert.is(args.values.wait, true);
  assert.is(args.values.keys, 'k.txt');
  assert.is(args.json, true);
  assert.is(args.help, false);
  assert.is(parseCommandArgs(spec, ['-h']).help, true, '--help needs no positionals');
});

parse('unknown options, missing values and wrong argument counts are INVALID_INPUT', () => {
  assert.is(codeOf(() => parseCommandArgs(spec, ['s3://b/p/', '--nope'])), 'INVALID_INPUT');
  assert.is(codeOf(() => parseCommandArgs(spec, ['s3://b/p/', '--keys'])), 'INVALID_INPUT');
  assert.is(codeOf(() => parseCommandArgs(spec, [])), 'INVALID_INPUT');
  assert.is(codeOf(() => parseCommandArgs(spec, ['a', 'b'])), 'INVALID_INPUT');
});

parse.run();

const integer = suite('integerOption');

integer('accepts 1..max and refuses the rest', () => {
  assert.is(integerOption(parseCommandArgs(spec, ['x', '--limit', '20']), 'limit', 100), 20);
  assert.is(integerOption(parseCommandArgs(spec, ['x']), 'limit', 100), undefined);
  for (const bad of ['0', '101', '2.5', 'ten']) {
    assert.is(codeOf(() => integerOption(parseCommandArgs(spec, ['x', '--limit', bad]), 'limit', 100)), 'INVALID_INPUT', bad);
  }
});

integer.run();

const help = suite('helpText');

help('every command has usage, summary and the common options', () => {
  assert.equal(Object.keys(COMMANDS).sort(), ['dev', 'download', 'jobs', 'provision', 'report', 'status', 'zip']);
  for (const [name, command] of Object.entries(COMMANDS)) {
    const text = helpText(command.spec);
    assert.match(text, new RegExp(`^usage: artifacts ${name}`), name);
    assert.match(text, /--json/);
    assert.match(text, /-h, --help/);
    assert.ok(mainHelp().includes(`  ${name} `), `${name} in the main help`);
  }
});

help.run();
