/**
 * The admin calls the Kafka bus makes: create a topic and its dead-letter topic, check the
 * cluster answers, and read offsets (for draining dead letters without waiting on an empty
 * topic). One admin connection per bus, opened on first use.
 */
import type { Admin, Kafka } from 'kafkajs';
import { ErrorCode, PipelineError, isPipelineError, isRetriable } from '../errors.js';

export interface KafkaAdmin {
  /** Creates each topic with `partitions` partitions if missing; waits for leaders. Idempotent. */
  ensureTopics(topics: readonly string[], partitions: number): Promise<void>;
  /**
   * Metadata only: NOT_FOUND naming the first missing topic and `artifacts provision`. Services
   * call this instead of ensureTopics, so no topic is created (or re-partitioned) at run time.
   */
  requireTopics(topics: readonly string[]): Promise<void>;
  /** Throws UNAVAILABLE unless a broker answers DescribeCluster. */
  ping(): Promise<void>;
  /** The end offset of each partition of `topic` (the offset the next message will get); empty if no such topic. */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /** The offset `group` committed for each partition of `topic`; partitions without one are absent. */
  committedOffsets(group: string, topic: string): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

export interface KafkaAdminOptions {
  kafka: Kafka;
  /** The client ping() uses: one with few retries, so a readiness probe answers within seconds. Default `kafka`. */
  probeKafka?: Kafka;
  /** Replication factor of created topics. Default 1 (single-broker development and tests). */
  replicationFactor?: number;
}

export function createKafkaAdmin({ kafka, probeKafka = kafka, replicationFactor = 1 }: KafkaAdminOptions): KafkaAdmin {
  const lazyAdmin = (client: Kafka) => {
    let connected: Promise<Admin> | undefined;
    return {
      get: (): Promise<Admin> => {
        if (!connected) {
          const admin = client.admin();
          connected = admin.connect().then(
            () => admin,
            (err: unknown) => {
              connected = undefined;
              throw unavailable('connect the Kafka admin client', err);
            },
          );
        }
        return connected;
      },
      async close(): Promise<void> {
        const pending = connected;
        connected = undefined;
        if (pending) await pending.then((client) => client.disconnect(), () => undefined);
      },
    };
  };
  const main = lazyAdmin(kafka);
  const probe = lazyAdmin(probeKafka);
  const admin = main.get;

  return {
    async ensureTopics(topics, partitions) {
      const client = await admin();
      try {
        // Only the missing ones: asking to create an existing topic is an error answer.
        const existing = new Set(await client.listTopics());
        const missing = topics.filter((topic) => !existing.has(topic));
        if (missing.length === 0) return;
        // A topic created by a concurrent caller between the listing and the request
        // comes back as TOPIC_ALREADY_EXISTS, which is success too.
        await client.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
        });
      } catch (err) {
        if (!onlyAlreadyExists(err)) throw unavailable(`create topics ${topics.join(', ')}`, err);
      }
    },

    async requireTopics(topics) {
      const client = await admin();
      const existing = new Set(await client.listTopics().catch((err: unknown) => {
        throw unavailable('list the Kafka topics', err);
      }));
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      throw new PipelineError(`Kafka topic ${missing.join(', ')} does not exist: create it with \`artifacts provision\``, {
        code: ErrorCode.NOT_FOUND,
        retriable: false,
        context: { topics: missing, command: 'artifacts provision' },
      });
    },

    async ping() {
      try {
        const client = await probe.get();
        await client.describeCluster();
      } catch (err) {
        throw unavailable('reach the Kafka cluster', err);
      }
    },

    async endOffsets(topic) {
      const client = await admin();
      try {
        // Asked first: kafkajs retries offsets of a missing topic for seconds before failing.
        if (!(await client.listTopics()).includes(topic)) return new Map();
        const offsets = await client.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
      } catch (err) {
        throw unavailable(`read the offsets of ${topic}`, err);
      }
    },

    async committedOffsets(group, topic) {
      const client = await admin();
      const [entry] = await client.fetchOffsets({ groupId: group, topics: [topic] }).catch((err: unknown) => {
        throw unavailable(`read the offsets of group ${group}`, err);
      });
      const out = new Map<number, bigint>();
      // kafkajs reports "-1" for a partition the group never committed.
      for (const p of entry?.partitions ?? []) if (p.offset !== '-1') out.set(p.partition, BigInt(p.offset));
      return out;
    },

    async close() {
      await Promise.all([main.close(), probe.close()]);
    },
  };
}

/** kafkajs reports concurrent creation as TOPIC_ALREADY_EXISTS, alone or inside an aggregate. */
function onlyAlreadyExists(err: unknown): boolean {
  const e = err as { type?: unknown; errors?: unknown };
  if (e?.type === 'TOPIC_ALREADY_EXISTS') return true;
  if (Array.isArray(e?.errors) && e.errors.length > 0) {
    return e.errors.every((inner) => (inner as { type?: unknown })?.type === 'TOPIC_ALREADY_EXISTS');
  }
  return false;
}

function unavailable(what: string, err: unknown): PipelineError {
  if (isPipelineError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  // A broker that does not answer is transient; a refused request (bad topic name, no
  // authorisation) is not, and kafkajs says which through `retriable` on its own errors.
  const retriable = isRetriable(err) || (err as { name?: unknown })?.name === 'KafkaJSNumberOfRetriesExceeded';
  return new PipelineError(`could not ${what}: ${message}`, {
    code: retriable ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
    retriable,
    cause: err,
  });
}
