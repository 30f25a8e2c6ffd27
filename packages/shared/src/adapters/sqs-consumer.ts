/**
 * One SQS subscription: a long-polling loop that receives at most as many messages as it
 * has free handler slots (≤ 10, the SQS maximum per receive), hands each to sqs-message.ts,
 * and survives SQS errors by backing off. stop(deadline) stops polling, waits for the
 * handlers, then aborts and releases what is left (bus-delivery-slots.ts).
 */
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { computeDelay, sleep } from '../retry.js';
import type { Subscription } from '../ports/bus.js';
import { createInFlight, createSlots } from '../bus-delivery-slots.js';
import { handleSqsMessage, releaseSqsMessage, type SqsMessageContext } from './sqs-message.js';

/** How long stop() lets a long poll in flight come back before aborting it. */
const STOP_POLL_WAIT_MS = 3_000;

/** Most messages one ReceiveMessage may return. */
const MAX_BATCH = 10;
/** Backoff between failed receives: 1 s doubling to 30 s, so an SQS outage is not hammered. */
const POLL_BACKOFF = { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: 'equal' } as const;
/** Default for Subscription.stop(deadlineMs): 30 s, within Kubernetes' default grace period. */
const DEFAULT_STOP_DEADLINE_MS = 30_000;

export interface SqsConsumerOptions extends SqsMessageContext {
  concurrency: number;
  /** ReceiveMessage long-poll wait, in seconds (0–20). */
  waitTimeSeconds: number;
}

export function startSqsConsumer(options: SqsConsumerOptions): Subscription {
  const { client, queueUrl, logger, topic } = options;
  const slots = createSlots(options.concurrency);
  const inFlight = createInFlight();
  const polling = new AbortController();
  // A long poll is not cut short at once on stop: SQS may still hand a message to an
  // abandoned request and keep it invisible for the whole visibility timeout (one attempt
  // lost). The poll gets a little while to come back (STOP_POLL_WAIT_MS, at most half the
  // stop deadline) and what it brings is released at once; after that it is aborted.
  const receiving = new AbortController();
  let stopped: Promise<void> | undefined;

  const receive = async (max: number): Promise<Message[]> => {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: options.waitTimeSeconds,
        VisibilityTimeout: options.visibilityTimeoutSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
      { abortSignal: receiving.signal },
    );
    return out.Messages ?? [];
  };

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!polling.signal.aborted) {
      await slots.whenFree(polling.signal);
      if (polling.signal.aborted) return;
      let messages: Message[];
      try {
        messages = await receive(Math.min(MAX_BATCH, slots.free));
        failures = 0;
        if (polling.signal.aborted) {
          await Promise.allSettled(messages.map((message) => releaseSqsMessage(options, message)));
          return;
        }
      } catch (err) {
        if (polling.signal.aborted) return;
        failures++;
        const delayMs = computeDelay(failures, POLL_BACKOFF);
        logger.warn({ err, topic, failures, delayMs }, 'SQS receive failed; backing off');
        await sleep(delayMs, polling.signal).catch(() => {});
        continue;
      }
      for (const message of messages) {
        const giveSlot = slots.take();
        void inFlight.run(
          (work) => handleSqsMessage(options, message, work).finally(giveSlot),
          async () => {
            await releaseSqsMessage(options, message);
          },
        );
      }
    }
  };

  const looping = loop().catch((err: unknown) => {
    // Not expected: every failure above is caught. Logged so it cannot pass silently.
    logger.error({ err, topic }, 'SQS consumer loop ended unexpectedly');
  });

  return {
    stop(deadlineMs = DEFAULT_STOP_DEADLINE_MS) {
      stopped ??= (async () => {
        const until = Date.now() + deadlineMs;
        polling.abort();
        const cut = setTimeout(() => receiving.abort(), Math.min(deadlineMs / 2, STOP_POLL_WAIT_MS, (options.waitTimeSeconds + 2) * 1000));
        await looping;
        clearTimeout(cut);
        await inFlight.drain(Math.max(0, until - Date.now()));
      })();
      return stopped;
    },
  };
}
