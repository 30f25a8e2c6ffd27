/**
 * Scaling a zipper Deployment in while one of its pods is busy, without a cluster (none is
 * available here): the pods are two real zipper processes against moto (SQS, S3) and Redis,
 * given what the rendered chart gives a zipper pod (its SHUTDOWN_GRACE_SECONDS and
 * terminationGracePeriodSeconds), and Kubernetes' part is played by sending SIGTERM as the
 * ReplicaSet controller does when the desired count drops. KEDA cannot choose which replica
 * goes, so both choices are played: 2 → 1 takes the idle pod, which exits at once; 1 → 0
 * takes the busy one, which drains: it finishes the archive in hand within the grace and
 * exits 0, and the job completes exactly once with no other worker running.
 *
 * Node scale-down (Cluster Autoscaler, Karpenter) is kept away from busy zippers by the pod
 * annotations checked first; that part needs a cluster to watch and is checked on the
 * rendered pod only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType, Topic, createEvent } from '@artifact-pipeline/shared';
import { waitFor, withDeadline } from '../harness/support.js';
import { helmTemplate, kedaRoles, parseYamlStream, toolsReady } from '../ops/ops-tools.js';
import { forgetJobs, spawnService, untilHealthy, workerEnv, type ServiceProcess } from './pipeline-processes-support.js';
import { type ZipperWorld, closeWorld, createWorld, ofJob, putFiles, requestZip } from './zipper-e2e-support.js';

interface ZipperPod {
  annotations: Record<string, string>;
  shutdownGraceSeconds: number;
  terminationGracePeriodSeconds: number;
}

/** The zipper pod of the default chart (bus=sqs, the IRSA roles KEDA needs filled in). */
function renderedZipperPod(): ZipperPod {
  const deployment = parseYamlStream(helmTemplate(kedaRoles)).find((o) => o.kind === 'Deployment' && o.metadata.name === 'ap-zipper')!;
  const template = (deployment.spec as {
    template: { metadata: { annotations?: Record<string, string> }; spec: { terminationGracePeriodSeconds: number; containers: { env: { name: string; value?: string }[] }[] } };
  }).template;
  const grace = template.spec.containers[0]!.env.find((e) => e.name === 'SHUTDOWN_GRACE_SECONDS')?.value;
  return {
    annotations: template.metadata.annotations ?? {},
    shutdownGraceSeconds: Number(grace),
    terminationGracePeriodSeconds: template.spec.terminationGracePeriodSeconds,
  };
}

interface Ctx {
  world?: ZipperWorld;
  pod?: ZipperPod;
  children: ServiceProcess[];
  jobId?: string;
}

const withOutput = (procs: ServiceProcess[]) => (err: Error): never => {
  err.message += procs.map((p) => `\n--- ${p.name} output:\n${p.output()}`).join('');
  throw err;
};

const test = suite<Ctx>('scaling the zipper in while one pod is busy', { children: [] });

test.after(async (ctx) => {
  await Promise.all(ctx.children.map((c) => c.stop(5_000)));
  await closeWorld(ctx.world);
  if (ctx.jobId) await forgetJobs([ctx.jobId], 'alice');
});

test('the chart keeps node scale-down off zipper pods and gives them the long drain', async (ctx) => {
  await toolsReady();
  ctx.pod = renderedZipperPod();
  assert.is(ctx.pod.annotations['cluster-autoscaler.kubernetes.io/safe-to-evict'], 'false');
  assert.is(ctx.pod.annotations['karpenter.sh/do-not-disrupt'], 'true');
  assert.ok(ctx.pod.shutdownGraceSeconds >= 600, `a long ZIP gets ${ctx.pod.shutdownGraceSeconds} s`);
  assert.ok(ctx.pod.terminationGracePeriodSeconds > ctx.pod.shutdownGraceSeconds, 'Kubernetes waits out the drain before SIGKILL');
});

test('2 → 1 takes the idle pod: it exits 0 at once; 1 → 0 takes the busy one: it finishes the job, which completes once', async (ctx) => {
  const pod = ctx.pod;
  if (!pod) throw new Error('the chart was not rendered (see the test before)');
  ctx.world = await withDeadline(createWorld('sqs', { startZipper: false, jobKeyPrefix: '' }), 60_000, 'the zipper world to start');
  const w = ctx.world;
  // 12 × 8 MiB of incompressible bytes, deflate forced: a job of several seconds.
  const blocks = Array.from({ length: 12 }, (_, i) => [`big/part-${String(i).padStart(2, '0')}.bin`, randomBytes(8 * 1024 * 1024)] as [string, Buffer]);
  await withDeadline(putFiles(w, blocks, 4), 120_000, 'the source upload');
  const env = workerEnv(w, { graceSeconds: pod.shutdownGraceSeconds, logLevel: 'info' });

  const busy = await spawnService('zipper', env, 'zipper-busy');
  ctx.children.push(busy);
  await untilHealthy(busy);
  // Recorded where the worker processes look (no key prefix), as ingest would: a command for a
  // job the store does not hold is refused (JOB_UNKNOWN).
  const jobId = (await requestZip(w, { source: { bucket: w.sourceBucket, prefix: 'big/' }, output: { name: 'big.zip' }, options: { compression: 'deflate' } })).subject!;
  ctx.jobId = jobId;
  await waitFor(
    () => ofJob(w, jobId, EventType.jobProgressed).some((e) => (e.data as { bytesDone: number }).bytesDone > 0),
    'the first zipper to be busy on the job',
    { timeoutMs: 90_000, intervalMs: 50 },
  ).catch(withOutput([busy]));
  // The second replica comes up while the first is busy (KEDA counts the message in flight).
  const idle = await spawnService('zipper', env, 'zipper-idle');
  ctx.children.push(idle);
  await untilHealthy(idle);

  // 2 → 1, the idle replica picked: it holds nothing, so it does not wait for its grace.
  idle.child.kill('SIGTERM');
  const idleExit = await withDeadline(idle.exited, 30_000, 'the idle zipper to exit well before its grace').catch(withOutput([idle]));
  assert.is(idleExit, 0, idle.output());
  assert.is(busy.child.exitCode, null, 'the busy zipper is still running');

  // 1 → 0, the busy replica picked: SIGTERM mid-job, and no other worker left to take over.
  assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 0, 'the job is not done when SIGTERM is sent');
  busy.child.kill('SIGTERM');
  const busyExit = await withDeadline(busy.exited, pod.terminationGracePeriodSeconds * 1000, 'the busy zipper to drain and exit').catch(withOutput([busy]));
  assert.is(busyExit, 0, busy.output());

  // Every event the workers sent, then the sentinel: what is seen is complete.
  const sentinel = randomUUID();
  await w.bus.publish(Topic.events, createEvent(EventType.jobStarted, { jobId: sentinel, type: 'zip', attempt: 1 }, { source: '/artifact-pipeline/e2e' }));
  await waitFor(() => w.events.some((e) => e.subject === sentinel), 'the sentinel event', { timeoutMs: 30_000, intervalMs: 100 });
  const completed = ofJob(w, jobId, EventType.jobCompleted);
  assert.is(completed.length, 1, 'job.completed exactly once, by the drained pod');
  assert.equal(ofJob(w, jobId, EventType.jobFailed).map((e) => e.data), [], 'no job.failed: a drain is no failure');
  assert.is(ofJob(w, jobId, EventType.jobStarted).length, 1, 'one attempt: the job was never released to be redone');
  const output = (completed[0]!.data as { output: { key: string; size: number } }).output;
  assert.ok(output.size > 12 * 8 * 1024 * 1024, `the whole archive: ${output.size} bytes`);
  assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, output.key.slice(0, output.key.lastIndexOf('/') + 1)), [], 'no upload left open');
});

test.run();
