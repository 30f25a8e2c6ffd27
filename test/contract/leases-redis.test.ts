/** The Leases contract against Redis, each test under its own key prefix. */
import { createRedisLeases, type RedisLeases } from '@artifact-pipeline/shared/adapters/redis-leases';
import { servers, uniqueName } from '../harness/support.js';
import { leasesContract } from './leases.contract.js';
import { deletePrefix } from './job-store-redis-support.js';

leasesContract('redis', async () => {
  const url = servers().redisUrl;
  const keyPrefix = `${uniqueName('leases')}:`;
  const opened: RedisLeases[] = [];
  const open = (): RedisLeases => {
    const leases = createRedisLeases({ url, keyPrefix });
    opened.push(leases);
    return leases;
  };
  return {
    leases: open(),
    peers: async (n) => Array.from({ length: n }, open),
    advance: () => {},
    close: async () => {
      await Promise.all(opened.map((l) => l.close()));
      await deletePrefix(url, keyPrefix);
    },
  };
});
