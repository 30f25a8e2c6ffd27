/**
 * The JobStore contract against Redis, plus what only Redis can show: a transition is one
 * Lua script (MONITOR sees a single EVALSHA and no client-side read-modify-write), the Lua
 * rules equal job-transition.ts, apply() refreshes the retention, and the last listener
 * leaving drops the channel subscription.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { ErrorCode, isPipelineError, type JobStore } from '@artifact-pipeline/shared';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { servers, uniqueName, waitFor, withDeadline } from '../harness/support.js';
import { jobStoreContract } from './job-store.contract.js';
import { completedChange, iso, newJob, type IsolatedStoreOptions } from './job-store-contract-support.js';
import { deletePrefix, differentialCases } from './job-store-redis-support.js';

jobStoreContract('redis', async () => {
  const url = servers().redisUrl;
  const keyPrefix = `${uniqueName('jobs')}:`;
  const opened: JobStore[] = [];
  const prefixes = [keyPrefix];
  const open = (prefix: string, settings: IsolatedStoreOptions = {}): JobStore => {
    const store = createRedisJobStore({ url, keyPrefix: prefix, ...settings });
    opened.push(store);
    return store;
  };
  return {
    store: open(keyPrefix),
    peers: async (n) => Array.from({ length: n }, () => open(keyPrefix)),
    isolated: async (settings) => {
      const prefix = `${uniqueName('isolated')}:`;
      prefixes.push(prefix);
      return open(prefix, settings);
    },
    advance: () => {},
    close: async () => {
      await Promise.all(opened.map((s) => s.close()));
      for (const prefix of prefixes) await deletePrefix(url, prefix);
    },
  };
});

interface Ctx {
  redis: Redis;
  store: JobStore;
  prefix: string;
}

const redisOnly = suite<Ctx>('createRedisJobStore (Redis only)', {} as Ctx);
redisOnly.before.each((ctx) => {
  ctx.prefix = `${uniqueName('jobs')}:`;
  ctx.redis = new Redis(servers().redisUrl);
  ctx.store = createRedisJobStore({ url: servers().redisUrl, keyPrefix: ctx.prefix, retentionSeconds: 3600 });
});
redisOnly.after.each(async ({ redis, store, prefix }) => {
  await store.close();
  await deletePrefix(servers().redisUrl, prefix);
  await redis.quit();
});

redisOnly('a transition is one script call: the client reads and writes nothing itself', async ({ store, prefix }) => {
  const { job } = await store.create(newJob('ann'));
  // monitor() opens a connection of its own; the one it was called on is not needed after
  const base = new Redis(servers().redisUrl);
  const monitor = await base.monitor();
  await base.quit();
  const seen: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!source.includes('lua') && args.some((a) => a.includes(prefix))) seen.push(args);
  });
  try {
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    // MONITOR output is asynchronous: a marker command tells us everything before it arrived
    await store.get(job.id);
    await waitFor(() => seen.some((args) => args[0]?.toLowerCase() === 'hgetall'), 'the marker in MONITOR', { timeoutMs: 5_000 });
  } finally {
    monitor.disconnect();
  }
  const commands = seen.map((args) => args[0]!.toLowerCase());
  assert.ok(commands.slice(0, -1).every((c) => c === 'evalsha' || c === 'eval'), commands.join(' '));
  assert.is(commands.length, 3, commands.join(' '));
});

redisOnly('every applied change resets the job hash to the full retention', async ({ store, redis, prefix }) => {
  const { job } = await store.create(newJob('ann'));
  const key = `${prefix}ap:job:${job.id}`;
  assert.ok((await redis.ttl(key)) > 3500);
  await redis.expire(key, 30);
  await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
  assert.ok((await redis.ttl(key)) > 3500);
  assert.ok((await redis.zscore(`${prefix}ap:owner:ann:jobs`, job.id)) !== null);
  assert.ok((await redis.zscore(`${prefix}ap:jobs`, job.id)) !== null);
});

redisOnly('the idempotency claim is kept for its TTL (24 h by default)', async ({ store, redis, prefix }) => {
  await store.create(newJob('ann'), { owner: 'ann', key: 'k1', requestHash: 'h' });
  await store.create(newJob('ann'), { owner: 'ann', key: 'k2', requestHash: 'h', ttlSeconds: 120 });
  const ttl1 = await redis.ttl(`${prefix}ap:idem:ann:k1`);
  const ttl2 = await redis.ttl(`${prefix}ap:idem:ann:k2`);
  assert.ok(ttl1 > 86_000 && ttl1 <= 86_400, String(ttl1));
  assert.ok(ttl2 > 100 && ttl2 <= 120, String(ttl2));
});

redisOnly('ping fails fast and retriable when Redis is not there', async () => {
  // port 9 (discard) on loopback: nothing listens, so ioredis keeps reconnecting
  const down = createRedisJobStore({ url: 'redis://127.0.0.1:9', keyPrefix: 'unused:' });
  try {
    const err = await withDeadline(down.ping().catch((e: unknown) => e), 5_000, 'ping to fail');
    assert.ok(isPipelineError(err), String(err));
    assert.is(err.code, ErrorCode.UNAVAILABLE);
    assert.is(err.retriable, true);
  } finally {
    await down.close();
  }
});

redisOnly('byte counts up to 2^53 - 1 survive the Lua side exactly', async ({ store }) => {
  const { job } = await store.create(newJob('ann'));
  const huge = Number.MAX_SAFE_INTEGER;
  const progress = { bytesDone: huge - 1, bytesTotal: huge, itemsDone: 1_000_000, itemsTotal: 1_000_001 };
  await store.apply(job.id, { kind: 'progressed', attempt: 1, at: iso(1), progress });
  assert.equal((await store.get(job.id))?.progress, progress);
  const later = await store.apply(job.id, { kind: 'progressed', attempt: 1, at: iso(2), progress: { ...progress, bytesDone: huge } });
  assert.is(later.applied, true, 'one byte more is progress');
  const { job: done } = await store.apply(job.id, completedChange(1, iso(3)));
  assert.equal(done?.progress, { bytesDone: huge, bytesTotal: huge, itemsDone: 1_000_001, itemsTotal: 1_000_001 });
});

redisOnly('the last listener leaving unsubscribes the channel', async ({ store, redis, prefix }) => {
  const { job } = await store.create(newJob('ann'));
  const channel = `${prefix}ap:job:${job.id}:changes`;
  const numsub = async (): Promise<number> => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
  const stopA = await store.subscribe(job.id, () => {});
  const stopB = await store.subscribe(job.id, () => {});
  assert.is(await numsub(), 1);
  await stopA();
  assert.is(await numsub(), 1);
  await stopB();
  await waitFor(async () => (await numsub()) === 0, 'UNSUBSCRIBE', { timeoutMs: 5_000 });
});

/** Every command MONITOR shows that names `prefix`, Lua's own (source "lua") included. */
async function monitorPrefix(prefix: string): Promise<{ seen: { args: string[]; lua: boolean }[]; stop(): void }> {
  const base = new Redis(servers().redisUrl);
  const monitor = await base.monitor();
  await base.quit();
  const seen: { args: string[]; lua: boolean }[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args.some((a) => a.includes(prefix))) seen.push({ args, lua: source.includes('lua') });
  });
  return { seen, stop: () => monitor.disconnect() };
}

redisOnly('a burst of applies shares script calls, and each job ends where its own changes lead', async ({ store, prefix }) => {
  const jobs = await Promise.all(Array.from({ length: 100 }, () => store.create(newJob('ann'))));
  const steps = (attempt: number) => [
    { kind: 'started' as const, attempt, at: iso(1) },
    ...[1, 2, 3].map((i) => ({ kind: 'progressed' as const, attempt, at: iso(1 + i), progress: { bytesDone: i * 100, bytesTotal: 300, itemsDone: i, itemsTotal: 3 } })),
    completedChange(attempt, iso(5)),
  ];
  const watch = await monitorPrefix(prefix);
  let results;
  try {
    // Every job's five changes in order, all jobs at once: 500 calls made in one go.
    results = await Promise.all(jobs.map(({ job }) => Promise.all(steps(1).map((change) => store.apply(job.id, change)))));
    await store.get(jobs[0]!.job.id);
    await waitFor(() => watch.seen.some(({ args, lua }) => !lua && args[0]?.toLowerCase() === 'hgetall'), 'the marker in MONITOR', { timeoutMs: 5_000 });
  } finally {
    watch.stop();
  }
  assert.ok(results.every((perJob) => perJob.every((r) => r.applied)), 'every change applied');
  for (const { job } of jobs) {
    const final = await store.get(job.id);
    assert.is(final?.status, 'done');
    assert.is(final?.version, 6);
    assert.equal(final?.progress, { bytesDone: 300, bytesTotal: 300, itemsDone: 3, itemsTotal: 3 });
    assert.is(final?.startedAt, iso(1));
  }
  const scriptCalls = watch.seen.filter(({ args, lua }) => !lua && ['evalsha', 'eval'].includes(args[0]?.toLowerCase() ?? '')).length;
  // 16 changes per call by default: 32 calls for 500 made at once (a few more if a turn splits them).
  assert.ok(scriptCalls >= 32 && scriptCalls <= 40, `500 changes in ${scriptCalls} script calls`);
  const published = watch.seen.filter(({ args }) => args[0]?.toLowerCase() === 'publish').length;
  assert.is(published, 0, 'nobody listened, so nothing was published');
});

redisOnly('a change that fails inside Redis fails alone; the rest of its batch applies', async ({ store, redis, prefix }) => {
  const { job } = await store.create(newJob('ann'));
  await redis.set(`${prefix}ap:job:broken`, 'not a hash');
  const [broken, good] = await Promise.allSettled([
    store.apply('broken', { kind: 'started', attempt: 1, at: iso(1) }),
    store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) }),
  ]);
  assert.is(broken.status, 'rejected');
  const err = (broken as PromiseRejectedResult).reason;
  assert.ok(isPipelineError(err), String(err));
  assert.match(err.message, /WRONGTYPE/);
  assert.is(good.status, 'fulfilled');
  assert.is((good as PromiseFulfilledResult<{ applied: boolean }>).value.applied, true);
  assert.is((await store.get(job.id))?.status, 'processing');
});

redisOnly('a listener gets each applied change as the job it made', async ({ store }) => {
  const { job } = await store.create(newJob('ann'));
  const heard: number[] = [];
  const stop = await store.subscribe(job.id, (changed) => heard.push(changed.version));
  try {
    await store.apply(job.id, { kind: 'started', attempt: 1, at: iso(1) });
    await store.apply(job.id, completedChange(1, iso(2)));
    await waitFor(() => heard.length === 2, 'two published changes', { timeoutMs: 5_000 });
  } finally {
    await stop();
  }
  assert.equal(heard, [2, 3]);
});

redisOnly.run();

differentialCases();
