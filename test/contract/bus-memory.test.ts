/**
 * The memory bus against the Bus contract. The kill case needs a transport that outlives
 * a process, which an in-process bus is not; everything else applies.
 */
import { createMemoryBus } from '@artifact-pipeline/shared/adapters/memory-bus';
import { uniqueName } from '../harness/support.js';
import { busContract } from './bus.contract.js';

const MAX_ATTEMPTS = 3;

busContract(
  'memory',
  async () => {
    const bus = createMemoryBus({ maxAttempts: MAX_ATTEMPTS, backoff: { baseMs: 20, maxMs: 200 } });
    return {
      bus,
      maxAttempts: MAX_ATTEMPTS,
      async newTopic(label) {
        const topic = uniqueName(label);
        await bus.ensureTopic(topic);
        return topic;
      },
      publishRaw: (topic, raw) => bus.publishRaw(topic, raw),
      close: () => bus.close(),
    };
  },
  { timeoutMs: 5_000, redeliveryTimeoutMs: 5_000, skip: { kill: 'an in-process bus does not outlive its process' } },
);
