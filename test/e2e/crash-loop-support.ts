/**
 * A zipper process that dies at every attempt: spawned from its environment over SQS or
 * Kafka against a zipper world whose jobs sit where the process reads them (no Redis key
 * prefix), and SIGKILLed as soon as the attempt has its own multipart upload open — after
 * job.started and the clean-up of earlier attempts, before it can report a failure.
 */
import { Readable } from 'node:stream';
import { servers, waitFor, withDeadline } from '../harness/support.js';
import { type ServiceProcess, spawnService, workerEnv } from './pipeline-processes-support.js';
import type { ZipperWorld } from './zipper-e2e-support.js';

/** The environment of a zipper process over the world's bus, MAX_ATTEMPTS given. */
export function zipperEnv(world: ZipperWorld, maxAttempts: number, logLevel = 'info'): Record<string, string> {
  const env = { ...workerEnv(world, { logLevel }), MAX_ATTEMPTS: String(maxAttempts) };
  if (world.transport === 'sqs') return env;
  return {
    ...env,
    BUS: 'kafka',
    TOPIC_PREFIX: world.busPrefix,
    KAFKA_BROKERS: servers().kafkaBrokers.join(','),
    KAFKA_CLIENT_ID: world.busPrefix.replace(/-$/, ''),
  };
}

export const startZipper = (world: ZipperWorld, maxAttempts: number, label: string): Promise<ServiceProcess> =>
  spawnService('zipper', zipperEnv(world, maxAttempts), label);

/** Source files that take the zipper seconds: `count` × 8 MiB of incompressible bytes. */
export async function putBigSource(world: ZipperWorld, prefix: string, count: number, block: Buffer): Promise<void> {
  for (let i = 0; i < count; i += 4) {
    await Promise.all(Array.from({ length: Math.min(4, count - i) }, (_, j) =>
      world.objects.put(world.sourceBucket, `${prefix}part-${String(i + j).padStart(2, '0')}.bin`, Readable.from([block]))));
  }
}

/**
 * Waits until `proc` has an upload of its own open under `outputPrefix` (an upload id not in
 * `seen`), then SIGKILLs it and waits for it to exit. Adds the id to `seen`.
 */
export async function killAtOwnUpload(world: ZipperWorld, proc: ServiceProcess, outputPrefix: string, seen: Set<string>, timeoutMs = 120_000): Promise<void> {
  const fresh = await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}`);
      const open = await world.objects.listIncompleteUploads(world.artifactsBucket, outputPrefix);
      return open.find((u) => !seen.has(u.uploadId));
    },
    `${proc.name} to open its own upload under ${outputPrefix}`,
    { timeoutMs, intervalMs: 50 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- ${proc.name} output:\n${proc.output()}`);
  });
  proc.child.kill('SIGKILL');
  await withDeadline(proc.exited, 10_000, `${proc.name} to exit after SIGKILL`);
  seen.add(fresh.uploadId);
}
