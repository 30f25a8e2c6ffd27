/**
 * Creating topics against the real broker: missing ones are made with the partitions asked
 * for, existing ones are left as they are, and a service starting against topics that
 * `provision` already made writes no error lines (kafkajs logs each error answer of the
 * broker at ERROR, so asking to create an existing topic would put one in every start-up).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createKafkaAdmin } from '@artifact-pipeline/shared/adapters/kafka-admin';
import { createKafkaClient } from '@artifact-pipeline/shared/adapters/kafka-client';
import type { Logger } from '@artifact-pipeline/shared/logger';
import { servers, uniqueName, withDeadline } from '../harness/support.js';

/** A logger that keeps the level and message of what it is asked to write. */
function recordingLogger(lines: string[]): Logger {
  const at = (level: string) => (_fields: unknown, message: string) => void lines.push(`${level}: ${message}`);
  const logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger as unknown as Logger;
}

const topics = suite('kafka admin: ensureTopics');

topics('creates the missing topics, keeps the existing ones, and logs no error doing it', async () => {
  const lines: string[] = [];
  const kafka = createKafkaClient({ brokers: servers().kafkaBrokers, clientId: 'kafka-admin-test', logger: recordingLogger(lines) });
  const admin = createKafkaAdmin({ kafka });
  const raw = kafka.admin();
  const [a, b, c] = [uniqueName('admin-a'), uniqueName('admin-b'), uniqueName('admin-c')];
  try {
    await withDeadline(admin.ensureTopics([a, b], 3), 60_000, 'two topics to be created');
    await withDeadline(admin.ensureTopics([a, b, c], 2), 60_000, 'the third topic to be created');
    await withDeadline(admin.ensureTopics([a, b, c], 5), 60_000, 'ensureTopics on existing topics');
    await raw.connect();
    const { topics: described } = await raw.fetchTopicMetadata({ topics: [a, b, c] });
    const partitions = Object.fromEntries(described.map((t) => [t.name, t.partitions.length]));
    assert.equal(partitions, { [a]: 3, [b]: 3, [c]: 2 }, 'existing topics keep their partitions');
    assert.equal(lines.filter((line) => line.startsWith('error') || line.startsWith('warn')), []);
  } finally {
    await raw.deleteTopics({ topics: [a, b, c] }).catch(() => undefined);
    await raw.disconnect();
    await admin.close();
  }
});

topics.run();

const require = suite('kafka admin: requireTopics');

require('a missing topic is NOT_FOUND naming it and `artifacts provision`; nothing is created', async () => {
  const kafka = createKafkaClient({ brokers: servers().kafkaBrokers, clientId: 'kafka-admin-test', logger: recordingLogger([]) });
  const admin = createKafkaAdmin({ kafka });
  const [present, missing] = [uniqueName('require-present'), uniqueName('require-missing')];
  try {
    await withDeadline(admin.ensureTopics([present], 1), 60_000, 'the present topic to be created');
    await withDeadline(admin.requireTopics([present]), 30_000, 'requireTopics of a present topic');
    const err = await admin.requireTopics([present, missing]).then(() => undefined, (e: unknown) => e as { code?: string; message?: string });
    assert.is(err?.code, 'NOT_FOUND');
    assert.match(err?.message ?? '', new RegExp(`${missing}.*artifacts provision`));
    const raw = kafka.admin();
    await raw.connect();
    try {
      assert.not.ok((await raw.listTopics()).includes(missing), 'requireTopics created nothing');
      await raw.deleteTopics({ topics: [present] }).catch(() => undefined);
    } finally {
      await raw.disconnect();
    }
  } finally {
    await admin.close();
  }
});

require.run();
