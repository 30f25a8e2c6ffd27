/**
 * Redis-only pieces of the JobStore tests: removing a test's keys, and the differential
 * check that the Lua transition rules are job-transition.ts step for step.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import type { JobChange, JobStore } from '@artifact-pipeline/shared';
import { createMemoryJobStore } from '@artifact-pipeline/shared/adapters/memory-job-store';
import { createRedisJobStore } from '@artifact-pipeline/shared/adapters/redis-job-store';
import { servers, uniqueName } from '../harness/support.js';
import { iso, newJob, seededRandom } from './job-store-contract-support.js';

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/**
 * Random changes as a worker fleet might emit them: attempts move up now and then, some
 * changes arrive late (an older attempt, less progress), times come from a small set so
 * that ties happen, finals are rare. Every kind and branch of the rules is reached.
 */
function randomChanges(random: () => number, count: number): JobChange[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let current = 1;
  const changes: JobChange[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.12) current++;
    const attempt = random() < 0.2 ? Math.max(1, current - 1) : current;
    const at = iso(Math.floor(random() * 6));
    const kind = random() < 0.04 ? 'completed' : pick(['started', 'progressed', 'progressed', 'progressed', 'failed'] as const);
    switch (kind) {
      case 'started':
        changes.push({ kind, attempt, at });
        break;
      case 'progressed':
        changes.push({
          kind, attempt, at,
          progress: { bytesDone: Math.floor(random() * 11) * 1000, bytesTotal: 10_000, itemsDone: Math.floor(random() * 4), itemsTotal: 3 },
        });
        break;
      case 'failed':
        changes.push({ kind, attempt, at, final: random() < 0.1, error: { code: 'UNAVAILABLE', message: `try ${attempt}`, retriable: true } });
        break;
      case 'completed':
        changes.push({
          kind, attempt, at, downloadUrl: `https://a.example/${attempt}`, expiresAt: iso(9999),
          output: { bucket: 'b', key: `k${attempt}`, size: attempt, contentType: 'application/zip' },
          ...(random() < 0.5 ? { manifest: { attempt, skipped: [{ key: 'x', reason: 'too large' }] } } : {}),
        });
    }
  }
  return changes;
}

interface DiffCtx {
  memory: JobStore;
  redis: JobStore;
  prefix: string;
}

export function differentialCases(): void {
  const test = suite<DiffCtx>('Redis Lua rules = job-transition.ts', {} as DiffCtx);
  const fixed = Date.parse('2030-03-01T12:00:00.000Z');
  test.before.each((ctx) => {
    ctx.prefix = `${uniqueName('diff')}:`;
    ctx.memory = createMemoryJobStore({ clock: () => fixed });
    ctx.redis = createRedisJobStore({ url: servers().redisUrl, keyPrefix: ctx.prefix, clock: () => fixed });
  });
  test.after.each(async ({ memory, redis, prefix }) => {
    await memory.close();
    await redis.close();
    await deletePrefix(servers().redisUrl, prefix);
  });

  test('40 random change sequences give the same answers and records', async ({ memory, redis }) => {
    const applied = new Map<string, number>();
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const job = newJob('ann');
      assert.equal(await redis.create(job), await memory.create(job), `seed ${seed}: create`);
      for (const [step, change] of randomChanges(random, 25).entries()) {
        const [fromRedis, fromMemory] = [await redis.apply(job.id, change), await memory.apply(job.id, change)];
        assert.equal(fromRedis, fromMemory, `seed ${seed} step ${step}: ${JSON.stringify(change)}`);
        const kind = change.kind === 'failed' ? `failed(final=${change.final})` : change.kind;
        if (fromRedis.applied) applied.set(kind, (applied.get(kind) ?? 0) + 1);
      }
    }
    // the sequences exercised every rule, not only the refusals
    const kinds = ['started', 'progressed', 'failed(final=false)', 'failed(final=true)', 'completed'];
    for (const kind of kinds) assert.ok((applied.get(kind) ?? 0) >= 3, `${kind} applied ${applied.get(kind) ?? 0} times`);
  });

  test.run();
}
