/** The Leases contract against the memory adapter, on an injected clock. */
import { createMemoryLeases } from '@artifact-pipeline/shared/adapters/memory-leases';
import { leasesContract } from './leases.contract.js';

leasesContract('memory', async () => {
  let now = Date.parse('2030-03-01T00:00:00.000Z');
  const leases = createMemoryLeases({ clock: () => now });
  return {
    leases,
    peers: async (n) => Array.from({ length: n }, () => leases),
    advance: (ms) => {
      now += ms;
    },
    close: async () => {},
  };
});
