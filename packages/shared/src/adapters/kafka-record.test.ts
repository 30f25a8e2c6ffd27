import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, PipelineError, badInput } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Delivery } from '../ports/bus.js';
import type { DeadLetterReason } from './kafka-dead-letter.js';
import type { KafkaRecord } from './kafka-partition-worker.js';
import { createRecordHandling, type RecordHandlingOptions } from './kafka-record.js';

interface Letter {
  reason: DeadLetterReason;
  attempts: number;
}

interface Ctx {
  stopping: AbortController;
  deadline: AbortController;
  heartbeats: number;
  letters: Letter[];
  deliveries: Delivery[];
}

const unavailable = (): PipelineError => new PipelineError('downstream unavailable', { code: ErrorCode.UNAVAILABLE, retriable: true });

function record(ctx: Ctx, value: string): KafkaRecord {
  return {
    topic: 'wire.topic',
    partition: 2,
    offset: '41',
    key: Buffer.from('job-1'),
    value: Buffer.from(value),
    headers: {},
    stopping: ctx.stopping.signal,
    signal: ctx.deadline.signal,
    heartbeat: async () => void ctx.heartbeats++,
  };
}

function handling(
  ctx: Ctx,
  handler: (value: unknown, delivery: Delivery) => Promise<void>,
  overrides: Partial<RecordHandlingOptions<unknown>> = {},
) {
  return createRecordHandling<unknown>({
    topic: 'logical.topic',
    maxAttempts: 3,
    backoff: { baseMs: 1, maxMs: 5 },
    heartbeatIntervalMs: 5,
    decode: (r) => {
      const text = r.value?.toString() ?? '';
      if (text === 'garbage') throw new PipelineError('invalid event: value is not JSON', { code: ErrorCode.INVALID_EVENT, retriable: false });
      return text;
    },
    originTrace: () => ({}),
    handler: async (value, delivery) => {
      ctx.deliveries.push(delivery);
      await handler(value, delivery);
    },
    deadLetter: async (_r, reason, attempts) => void ctx.letters.push({ reason, attempts }),
    logger: silentLogger(),
    ...overrides,
  });
}

const Handling = suite<Ctx>('createRecordHandling');
Handling.before.each((ctx) => {
  ctx.stopping = new AbortController();
  ctx.deadline = new AbortController();
  ctx.heartbeats = 0;
  ctx.letters = [];
  ctx.deliveries = [];
});

Handling('returns a record processor', (ctx) => {
  assert.type(handling(ctx, async () => undefined), 'function');
});

Handling('settles a success with one delivery naming the logical topic and partition:offset', async (ctx) => {
  const disposition = await handling(ctx, async () => undefined)(record(ctx, 'ok'));
  assert.is(disposition, 'settled');
  assert.equal(
    ctx.deliveries.map((d) => [d.topic, d.attempt, d.maxAttempts, d.messageId]),
    [['logical.topic', 1, 3, '2:41']],
  );
});

Handling('retries a retriable failure in-process and settles when it succeeds', async (ctx) => {
  const disposition = await handling(ctx, async (_v, d) => {
    if (d.attempt < 3) throw unavailable();
  })(record(ctx, 'flaky'));
  assert.is(disposition, 'settled');
  assert.equal(ctx.deliveries.map((d) => d.attempt), [1, 2, 3]);
  assert.equal(ctx.letters, []);
});

Handling('dead-letters after maxAttempts with the last error, then settles', async (ctx) => {
  const disposition = await handling(ctx, async () => {
    throw unavailable();
  })(record(ctx, 'poison'));
  assert.is(disposition, 'settled');
  assert.equal(ctx.letters, [{ reason: { code: 'UNAVAILABLE', message: 'downstream unavailable' }, attempts: 3 }]);
});

Handling('dead-letters bad input and undecodable messages at once', async (ctx) => {
  await handling(ctx, async () => {
    throw badInput('owner is missing');
  })(record(ctx, 'bad'));
  await handling(ctx, async () => undefined)(record(ctx, 'garbage'));
  assert.equal(ctx.letters.map((l) => [l.reason.code, l.attempts]), [['INVALID_INPUT', 1], ['INVALID_EVENT', 1]]);
  assert.is(ctx.deliveries.length, 1, 'the undecodable message never reached the handler');
});

Handling('gives the message back when stopping during a retry wait', async (ctx) => {
  const processing = handling(
    ctx,
    async () => {
      ctx.stopping.abort();
      throw unavailable();
    },
    { backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 'none' } },
  )(record(ctx, 'flaky'));
  assert.is(await processing, 'release');
  assert.is(ctx.deliveries.length, 1, 'no further attempt');
  assert.equal(ctx.letters, [], 'not dead-lettered');
});

Handling('gives the message back when its handler was aborted at the deadline', async (ctx) => {
  const disposition = await handling(ctx, async (_v, d) => {
    ctx.deadline.abort();
    throw d.signal.reason;
  })(record(ctx, 'slow'));
  assert.is(disposition, 'release');
  assert.equal(ctx.letters, []);
});

Handling('gives the message back when the dead-letter topic refuses it', async (ctx) => {
  const refuse = async (): Promise<void> => {
    throw new PipelineError('topic authorization failed', { code: ErrorCode.PUBLISH_FAILED, retriable: false });
  };
  const disposition = await handling(ctx, async () => undefined, { deadLetter: refuse })(record(ctx, 'garbage'));
  assert.is(disposition, 'release', 'never committed without a dead letter written');
});

Handling('heartbeats while a handler runs', async (ctx) => {
  const until = Date.now() + 5_000;
  const disposition = await handling(ctx, async () => {
    // Finishes only once heartbeats went out (5 ms interval); fails at the 5 s deadline otherwise.
    while (ctx.heartbeats < 3) {
      if (Date.now() > until) throw new Error('deadline: no heartbeats during the handler');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })(record(ctx, 'long'));
  assert.is(disposition, 'settled');
});

Handling.run();
