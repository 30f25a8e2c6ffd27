/**
 * Groups the job store's apply() calls into one APPLY_CHANGES script call (redis-apply-script.ts).
 * A burst of events — many jobs projected at once — then costs one command, one socket write
 * and one script run per batch instead of per event; that is where the projector's time went.
 *
 * Calls made while the event loop works through one turn are collected and sent on the next
 * turn (setImmediate), or at once when `maxBatch` are waiting; a lone call waits one turn.
 * Calls go out in the order they were made, batches too (one connection keeps command order),
 * so a job's changes apply in call order. One change failing in Redis fails only its own
 * call; the whole call failing (connection, LOADING) fails every call in it, and each caller's
 * retry joins a later batch.
 */
import { fromRedisError } from './redis-errors.js';

export type ScriptArg = string | number;
/** One change's reply: {} no such job; [0|1, hash JSON] not applied / applied; [-1, message] failed. */
export type ApplyReply = [] | [number, string];

export interface ApplyBatcherOptions {
  /** Sends one batch: the job keys and ARGV as APPLY_CHANGES takes them. */
  run: (keys: string[], argv: ScriptArg[]) => Promise<ApplyReply[]>;
  /** Retention in s: APPLY_CHANGES' ARGV[1], the same for every change. */
  retentionSeconds: number;
  /** Most changes in one script call; bounds how long one call holds Redis. Default 64. */
  maxBatch?: number;
}

interface Pending {
  key: string;
  args: ScriptArg[];
  resolve: (reply: [] | [number, string]) => void;
  reject: (err: unknown) => void;
}

export interface ApplyBatcher {
  /** Applies one change (its APPLY_CHANGES arguments after the count) to the job at `key`. */
  apply(key: string, args: ScriptArg[]): Promise<[] | [number, string]>;
}

export function createApplyBatcher({ run, retentionSeconds, maxBatch = 64 }: ApplyBatcherOptions): ApplyBatcher {
  let queue: Pending[] = [];
  let scheduled: NodeJS.Immediate | undefined;

  const send = (batch: Pending[]): void => {
    const argv: ScriptArg[] = [retentionSeconds];
    for (const p of batch) argv.push(p.args.length, ...p.args);
    run(batch.map((p) => p.key), argv).then(
      (replies) => {
        batch.forEach((p, i) => {
          const reply = replies[i];
          if (reply === undefined) p.reject(fromRedisError(new Error(`APPLY_CHANGES answered ${replies.length} of ${batch.length} changes`)));
          else if (reply[0] === -1) p.reject(fromRedisError(new Error(reply[1])));
          else p.resolve(reply);
        });
      },
      (err: unknown) => {
        const error = fromRedisError(err);
        for (const p of batch) p.reject(error);
      },
    );
  };

  const flush = (): void => {
    scheduled = undefined;
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += maxBatch) send(batch.slice(i, i + maxBatch));
  };

  return {
    apply(key, args) {
      return new Promise((resolve, reject) => {
        queue.push({ key, args, resolve, reject });
        if (queue.length >= maxBatch) {
          if (scheduled !== undefined) clearImmediate(scheduled);
          flush();
        } else if (scheduled === undefined) {
          scheduled = setImmediate(flush);
        }
      });
    },
  };
}
