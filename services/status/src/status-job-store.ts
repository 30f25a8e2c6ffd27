/**
 * The job store status writes through, stamped by the event clock (event-clock.ts) so that
 * updatedAt is the time of the event that made the change — the same in the live projector
 * and in a rebuild. Redis when REDIS_URL is set, memory otherwise (as wiring.ts chooses).
 */
import type { Config, JobStore, Logger } from '@artifact-pipeline/shared';
import type { EventClock } from './event-clock.js';

export async function createStatusJobStore(config: Config, clock: EventClock, logger: Logger): Promise<JobStore> {
  const retentionSeconds = config.jobs.retentionDays * 86_400;
  if (config.redis.url === undefined) {
    const { createMemoryJobStore } = await import('@artifact-pipeline/shared/adapters/memory-job-store');
    return createMemoryJobStore({ retentionSeconds, clock: clock.now });
  }
  const { createRedisJobStore } = await import('@artifact-pipeline/shared/adapters/redis-job-store');
  return createRedisJobStore({ url: config.redis.url, retentionSeconds, logger, clock: clock.now });
}
