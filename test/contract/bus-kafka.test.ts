/**
 * The Kafka bus against the Bus contract, on the development / CI broker (KAFKA_BROKERS).
 * Kafka-only behaviour (per-key order, heartbeats in long handlers, structured mode, stop
 * with messages on known partitions) is in kafka-*.test.ts beside this file.
 */
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { createKafkaBus, type KafkaBusOptions } from '@artifact-pipeline/shared/adapters/kafka-bus';
import { servers, uniqueName } from '../harness/support.js';
import { busContract, spawnBusChild } from './bus.contract.js';

const MAX_ATTEMPTS = 3;

/** JSON-safe, so the kill case's child process builds the same bus. */
const busOptions = {
  brokers: servers().kafkaBrokers,
  clientId: 'bus-contract',
  maxAttempts: MAX_ATTEMPTS,
  backoff: { baseMs: 20, maxMs: 200 },
  // The broker's default group.min.session.timeout.ms: a dead consumer's partitions move
  // to the next member after at most this long.
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 1_000,
  partitions: 3,
  fetchMaxWaitMs: 200,
  stopDeadlineMs: 10_000,
} satisfies KafkaBusOptions;

busContract(
  'kafka',
  async () => {
    const bus = createKafkaBus(busOptions);
    const raw = new Kafka({ brokers: busOptions.brokers, clientId: 'bus-contract-raw', logLevel: logLevel.ERROR });
    let producer: Producer | undefined;
    return {
      bus,
      maxAttempts: MAX_ATTEMPTS,
      async newTopic(label) {
        const topic = uniqueName(label);
        await bus.ensureTopic(topic);
        return topic;
      },
      async publishRaw(topic, value) {
        if (!producer) {
          producer = raw.producer({ createPartitioner: Partitioners.DefaultPartitioner });
          await producer.connect();
        }
        // Structured content mode (CloudEvents Kafka binding §3.3): the value is all there is.
        await producer.send({ topic, messages: [{ value, headers: { 'content-type': 'application/cloudevents+json' } }] });
      },
      spawnConsumer: (topic, opts) =>
        spawnBusChild({ module: '@artifact-pipeline/shared/adapters/kafka-bus', exportName: 'createKafkaBus', options: busOptions }, topic, opts),
      async close() {
        await Promise.all([bus.close(), producer?.disconnect()]);
      },
    };
  },
  {
    // Session timeout (6 s) plus a rebalance, with room to spare on a busy 2-core machine.
    redeliveryTimeoutMs: 30_000,
  },
);
