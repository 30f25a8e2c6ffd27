import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { logLevel } from 'kafkajs';
import type { Logger } from '../logger.js';
import { kafkaLogCreator } from './kafka-client.js';

type Line = [level: string, fields: Record<string, unknown>, message: string];

/** A logger that records what it is asked to write. */
function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push([level, fields, message]);
  const logger = {
    trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'),
    child: () => logger,
  };
  return logger as unknown as Logger;
}

const entry = (level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}) => ({
  namespace, level, label: logLevel[level], log: { timestamp: '2026-01-01T00:00:00.000Z', message, ...extra },
});

const LogCreator = suite('kafkaLogCreator');

LogCreator('returns a kafkajs logCreator', () => {
  assert.type(kafkaLogCreator(recordingLogger([])), 'function');
  assert.type(kafkaLogCreator(recordingLogger([]))(logLevel.WARN), 'function');
});

LogCreator('writes each entry at its level with kafkajs fields and namespace, without kafkajs timestamps', () => {
  const lines: Line[] = [];
  const log = kafkaLogCreator(recordingLogger(lines))(logLevel.WARN);
  log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSError', { groupId: 'g' }));
  log(entry(logLevel.WARN, 'Runner', 'The group is rebalancing, re-joining'));
  assert.equal(lines, [
    ['error', { groupId: 'g', namespace: 'Consumer' }, 'Crash: KafkaJSError'],
    ['warn', { namespace: 'Runner' }, 'The group is rebalancing, re-joining'],
  ]);
});

LogCreator('keeps the broker’s “group is rebalancing” answers out of the error log', () => {
  const lines: Line[] = [];
  const log = kafkaLogCreator(recordingLogger(lines))(logLevel.WARN);
  log(entry(logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' }));
  log(entry(logLevel.ERROR, 'Connection', 'Response Produce(key: 0, version: 7)', { error: 'The request included a message larger than the max message size' }));
  assert.equal(lines.map(([level, , message]) => [level, message]), [
    ['debug', 'Response Heartbeat(key: 12, version: 3)'],
    ['error', 'Response Produce(key: 0, version: 7)'],
  ]);
});

LogCreator('keeps answers kafkajs retries at start-up (coordinator, leader, existing topic) out of the error log', () => {
  const lines: Line[] = [];
  const log = kafkaLogCreator(recordingLogger(lines))(logLevel.WARN);
  log(entry(logLevel.ERROR, 'Connection', 'Response GroupCoordinator(key: 10, version: 2)', { error: 'The group coordinator is not available' }));
  log(entry(logLevel.ERROR, 'Connection', 'Response CreateTopics(key: 19, version: 3)', { error: 'Topic creation errors' }));
  log(entry(logLevel.ERROR, 'Connection', 'Response Metadata(key: 3, version: 6)', { error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' }));
  log(entry(logLevel.ERROR, 'Connection', 'Response SaslAuthenticate(key: 36, version: 1)', { error: 'Authentication failed' }));
  log(entry(logLevel.ERROR, 'Consumer', 'Crash: The group coordinator is not available', { error: 'The group coordinator is not available' }));
  assert.equal(lines.map(([level, , message]) => [level, message]), [
    ['debug', 'Response GroupCoordinator(key: 10, version: 2)'],
    ['debug', 'Response CreateTopics(key: 19, version: 3)'],
    ['debug', 'Response Metadata(key: 3, version: 6)'],
    ['error', 'Response SaslAuthenticate(key: 36, version: 1)'],
    ['error', 'Crash: The group coordinator is not available'],
  ]);
});

LogCreator.run();
