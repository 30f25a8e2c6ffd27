/**
 * `artifacts dev` (what `npm start` runs): every service in one process (local-mode.ts)
 * until SIGINT or SIGTERM, which stop it gracefully within SHUTDOWN_GRACE_SECONDS.
 */
import type { CommandSpec, ParsedArgs } from './cli-args.js';
import { ExitCode, printLine, type CliIo } from './cli-io.js';

export const devSpec: CommandSpec = {
  name: 'dev',
  usage: 'artifacts dev [--json]',
  summary:
    'Runs the whole pipeline in one process on PORT (default 8080): local folder ./data as S3, in-memory\n' +
    'bus and job store (Redis with REDIS_URL; SQS/Kafka with BUS and AWS_ENDPOINT_URL / KAFKA_BROKERS).\n' +
    'AUTH_MODE defaults to none here. Stop with Ctrl-C.',
  positionals: [0, 0],
  options: {},
};

export async function runDev(args: ParsedArgs, io: CliIo): Promise<number> {
  // --json: each line as {"line": ...} so a supervisor can parse the output
  const print = args.json ? (line: string) => void io.stdout.write(`${JSON.stringify({ line })}\n`) : (line: string) => printLine(io, line);
  // loaded here, not at the top: the other commands should not pay for every service's modules
  const { startLocalMode } = await import('./local-mode.js');
  const local = await startLocalMode({ env: io.env, print });
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  print(`${signal}: stopping (jobs in flight get SHUTDOWN_GRACE_SECONDS to finish)`);
  await local.stop();
  print('stopped');
  return ExitCode.ok;
}
