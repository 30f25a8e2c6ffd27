/**
 * Rebuilding the read model reproduces it exactly: from the Kafka topics (commands + events)
 * and from the S3 journal written while projecting over SQS — the latter through the
 * rebuild entry point run as a child process into an empty redis-server of its own.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventType, Topic, createEvent, type Job, type PipelineEvent } from '@artifact-pipeline/shared';
import { replayKafkaTopic } from '@artifact-pipeline/shared/adapters/kafka-topic-replay';
import { rebuildFromKafka } from '../../services/status/src/rebuild-read-model.js';
import { summarizeZip } from '../../services/status/src/request-summary.js';
import { failedEvent, lifecycle } from '../../services/status/src/test-support.js';
import { servers, uniqueName, waitFor } from '../harness/support.js';
import { freePort, startRedis, stopRedis } from './status-redis-server.js';
import { createStatusWorld, createTestJobStore, deleteRedisPrefix, type StatusWorld } from './status-support.js';

const run = promisify(execFile);

/** Five jobs as ingest and the workers would make them: commands, queued records, lifecycles. */
async function history(world: StatusWorld, publishCommands: boolean): Promise<string[]> {
  const ids: string[] = [];
  const t0 = Date.now() - 300_000;
  if (publishCommands) await world.bus!.ensureTopic(Topic.zipCommands);
  for (let n = 0; n < 5; n++) {
    const jobId = `${world.name}-j${n}`;
    ids.push(jobId);
    const data = { jobId, owner: n % 2 ? 'alice' : 'bob', source: { bucket: 'inputs', prefix: `in/${n}/` }, output: { name: `${n}.zip` }, options: { compression: 'auto' as const } };
    const command = createEvent(EventType.zipRequested, data, { source: '/artifact-pipeline/ingest', time: new Date(t0 + n * 1000).toISOString() });
    if (publishCommands) await world.bus!.publish(Topic.zipCommands, command);
    await world.jobs.create({ id: jobId, type: 'zip', owner: data.owner, input: summarizeZip(data), createdAt: command.time });
  }
  const events: PipelineEvent[] = [];
  ids.forEach((jobId, n) => {
    const life = lifecycle(jobId, { steps: 3, bucket: world.bucket, start: Date.now() - 200_000 + n * 10_000 });
    if (n === 4) events.push(life[0]!, life[1]!, failedEvent(jobId, 1, true, new Date(Date.now() - 100_000).toISOString()));
    else events.push(...life);
  });
  await world.publish(events);
  return ids;
}

async function settled(world: StatusWorld, ids: string[]): Promise<Job[]> {
  return waitFor(async () => {
    const jobs = await Promise.all(ids.map((id) => world.jobs.get(id)));
    return jobs.every((j) => j?.status === 'done' || j?.status === 'failed') ? (jobs as Job[]) : undefined;
  }, 'every job final', { timeoutMs: 40_000, intervalMs: 100 });
}

const rebuild = suite('rebuild the read model');

rebuild('from Kafka: the commands and events topics give the same jobs, field for field', async () => {
  const world = await createStatusWorld('kafka');
  const target = `${uniqueName('rebuilt')}:`;
  const jobs = createTestJobStore(target);
  try {
    const ids = await history(world, true);
    const live = await settled(world, ids);
    await world.service.stop(5_000);
    const options = { brokers: servers().kafkaBrokers, clientId: `${world.name}-rebuild`, topicPrefix: `${world.name}-` };
    const counts = await rebuildFromKafka({ jobs }, (topic, onEvent) => replayKafkaTopic(options, topic, onEvent));
    assert.is(counts.jobs, 5);
    for (const job of live) assert.equal(await jobs.get(job.id), job, job.id);
    assert.is((await jobs.list({ limit: 100 })).items.length, 5);
  } finally {
    await jobs.close();
    await deleteRedisPrefix(target);
    await world.close();
  }
});

rebuild('from the S3 journal (SQS): `rebuild --from journal` into an empty Redis gives the same jobs', async () => {
  const world = await createStatusWorld('sqs', { journal: { maxDelayMs: 100 } });
  const port = await freePort();
  const redis = await startRedis(port);
  const rebuilt = createTestJobStore('', `redis://127.0.0.1:${port}`);
  try {
    const ids = await history(world, false);
    const live = await settled(world, ids);
    await world.service.stop(5_000);
    const { awsEndpointUrl } = servers();
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', 'services/status/src/rebuild.ts', '--from', 'journal'], {
      cwd: new URL('../../', import.meta.url).pathname,
      timeout: 60_000,
      env: {
        ...process.env, REDIS_URL: `redis://127.0.0.1:${port}`, ARTIFACTS_BUCKET: world.bucket, AWS_ENDPOINT_URL: awsEndpointUrl,
        AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'true',
        BUS: 'sqs', AUTH_MODE: 'none', LOG_LEVEL: 'warn',
      },
    });
    const counts = JSON.parse(stdout.trim().split('\n').at(-1)!) as { jobs: number; applied: number };
    assert.is(counts.jobs, 5);
    for (const job of live) assert.equal(await rebuilt.get(job.id), job, job.id);
  } finally {
    await rebuilt.close();
    await stopRedis(redis);
    await world.close();
  }
});

rebuild.run();
