/**
 * Crash loop over SQS (crash-loop-cases.ts): the attempt is the queue's ApproximateReceiveCount.
 * Takes ~90 s: the visibility timeout (30 s) runs out before each redelivery.
 */
import { suite } from 'uvu';
import { withDeadline } from '../harness/support.js';
import { closeWorld, createWorld } from './zipper-e2e-support.js';
import { type CrashLoopCtx, closeCrashLoop, crashLoopCase } from './crash-loop-cases.js';

const test = suite<CrashLoopCtx>('zipper crash loop over SQS', { children: [], jobIds: [] });
test.before(async (ctx) => {
  ctx.world = await withDeadline(createWorld('sqs', { startZipper: false, jobKeyPrefix: '' }), 60_000, 'the zipper world to start').catch((err: unknown) => {
    console.error('the zipper world did not start:', err);
    throw err;
  });
});
test.after((ctx) => closeCrashLoop(ctx, closeWorld));

crashLoopCase(test);

test.run();
