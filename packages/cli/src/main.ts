#!/usr/bin/env node
/**
 * `artifacts`: the command line of the Artifact Pipeline (packages/cli/README.md). Wiring
 * only: picks the command, parses its arguments, runs it, turns errors into exit codes
 * (1 failed, 2 usage). The environment is read here and handed down.
 */
import { errorCode } from '@artifact-pipeline/shared/errors';
import { helpText, parseCommandArgs, type CommandSpec, type ParsedArgs } from './cli-args.js';
import { ExitCode, printError, type CliIo } from './cli-io.js';
import { COMMANDS, mainHelp } from './commands.js';

const io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr, fetch, cwd: process.cwd() };
const [name = '--help', ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return ExitCode.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`artifacts: unknown command ${JSON.stringify(name)}\n\n${mainHelp()}`);
    return ExitCode.usage;
  }
  const json = rest.includes('--json');
  let args: ParsedArgs;
  try {
    args = parseCommandArgs(command.spec as CommandSpec, rest);
  } catch (err) {
    printError(io, err, json);
    return ExitCode.usage;
  }
  if (args.help) {
    io.stdout.write(helpText(command.spec));
    return ExitCode.ok;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    printError(io, err, json);
    return errorCode(err) === 'INVALID_INPUT' ? ExitCode.usage : ExitCode.failed;
  }
}

process.exitCode = await main();
