/** The command table main.ts dispatches on, and the top-level help. */
import type { CommandSpec, ParsedArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';
import { devSpec, runDev } from './command-dev.js';
import { downloadSpec, runDownload } from './command-download.js';
import { jobsSpec, runJobs } from './command-jobs.js';
import { provisionSpec, runProvision } from './command-provision.js';
import { reportSpec, runReport } from './command-report.js';
import { runStatus, statusSpec } from './command-status.js';
import { runZip, zipSpec } from './command-zip.js';

export interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  dev: { spec: devSpec, run: runDev },
  provision: { spec: provisionSpec, run: runProvision },
  zip: { spec: zipSpec, run: runZip },
  report: { spec: reportSpec, run: runReport },
  status: { spec: statusSpec, run: runStatus },
  jobs: { spec: jobsSpec, run: runJobs },
  download: { spec: downloadSpec, run: runDownload },
};

export function mainHelp(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.spec.name.padEnd(10)} ${c.spec.summary.split('\n')[0]}`);
  return (
    'usage: artifacts <command> [options]   (artifacts <command> --help for its options)\n\n' +
    `commands:\n${lines.join('\n')}\n\n` +
    'environment: ARTIFACTS_URL (default http://localhost:8080), ARTIFACTS_TOKEN (bearer token, when the server wants one)\n'
  );
}
