/**
 * Starts a Bus consumer in a child process (fixtures/bus-consumer-child.ts) for the kill
 * case: the child builds the adapter from a JSON spec, consumes one topic, and calls
 * process.exit(CHILD_EXIT_CODE) inside the handler of the first message it gets — the
 * message was received and never acked, as after a crash or an OOM kill.
 *
 * An adapter's fixture implements `spawnConsumer` as
 *   (topic, opts) => spawnBusChild({ module: '@artifact-pipeline/shared/adapters/sqs-bus',
 *     exportName: 'createSqsBus', options: {...JSON-safe factory options} }, topic, opts)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SpawnConsumerOptions, SpawnedConsumer } from './bus-contract-types.js';

/** The exit code that proves the child died inside the handler, not for another reason. */
export const CHILD_EXIT_CODE = 17;

export interface ChildBusSpec {
  /** Module specifier the child imports, resolved from test/contract/fixtures/. */
  module: string;
  /** The factory it calls with `options`, e.g. 'createSqsBus'. */
  exportName: string;
  /** JSON-safe factory options (no logger, no functions). */
  options: Record<string, unknown>;
}

/** What the child is told, as one JSON argument. */
export interface ChildArgs {
  bus: ChildBusSpec;
  topic: string;
  group: string;
  exitCode: number;
}

const SCRIPT = fileURLToPath(new URL('./fixtures/bus-consumer-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function spawnBusChild(spec: ChildBusSpec, topic: string, options: SpawnConsumerOptions): SpawnedConsumer {
  const args: ChildArgs = { bus: spec, topic, group: options.group, exitCode: CHILD_EXIT_CODE };
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', SCRIPT, JSON.stringify(args)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const died = (what: string) =>
    exited.then((code) => {
      throw new Error(`bus child exited (code ${code}) before ${what}; stderr:\n${stderr}`);
    });

  let onReady!: () => void;
  let onHandling!: (seen: { id: string; attempt: number }) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const handling = new Promise<{ id: string; attempt: number }>((resolve) => (onHandling = resolve));

  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: { ready?: boolean; handling?: string; attempt?: number };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return; // a stray log line: not ours
    }
    if (msg.ready) onReady();
    if (typeof msg.handling === 'string') onHandling({ id: msg.handling, attempt: msg.attempt ?? 0 });
  });

  return {
    ready: Promise.race([ready, died('its consumer was ready')]),
    handling: Promise.race([handling, died('it handled a message')]),
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
