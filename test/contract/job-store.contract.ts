/**
 * The JobStore contract: one suite the Redis and memory adapters both pass (DESIGN §5, §10).
 *
 * Use from an adapter's test file:
 *
 *   jobStoreContract('redis', async () => {
 *     const keyPrefix = `${uniqueName('jobs')}:`;
 *     return {
 *       store,                        // over keyPrefix
 *       peers: async (n) => …,        // n more stores over the same keyPrefix
 *       isolated: async (o) => …,     // a store over another prefix with o's settings
 *       advance: () => {},            // Redis expires in real time
 *       close: async () => …,         // closes them all, deletes the prefix's keys
 *     };
 *   });
 *
 * Every test gets a fresh fixture (before.each / after.each), so tests share servers but
 * never data. What the cases require:
 *
 * - create: a queued job, version 1; same idempotency key + hash → the same job, created
 *   false; another hash → IDEMPOTENCY_MISMATCH (retriable false, context.jobId) and nothing
 *   created; 50 concurrent creates with one key → one job; an existing id → that job.
 * - apply: a two-attempt lifecycle ends done at attempt 2; 20 seeded shuffles with
 *   duplicates end in the same outcome (status, attempt, output, link, manifest, error,
 *   finishedAt) and nothing observed goes backwards; with the completion last the whole
 *   record converges (progress, startedAt); concurrent application from several
 *   connections converges and loses no write; final states absorb; a missing job → applied
 *   false and nothing created.
 * - list: newest first with an id tie-break, 45 jobs → 20/20/5; status filter across pages;
 *   admin sees every owner; a filtered listing bounded in work per call (maxScanPerList) still
 *   reaches every match; bad limit or cursor → INVALID_INPUT; retention removes a job from
 *   get() and list() together.
 * - subscribe: applied changes in order with increasing versions, none after unsubscribe.
 * - markSeen: true, then false.
 * - countAttempt: 1, 2, 3 without touching the record; survives changes; concurrent counts
 *   lose none; a missing job → undefined and nothing created.
 */
import { attemptCases } from './job-store-contract-attempts.js';
import { changeCases } from './job-store-contract-changes.js';
import { createCases } from './job-store-contract-create.js';
import { listCases } from './job-store-contract-list.js';
import type { MakeJobStoreFixture } from './job-store-contract-support.js';
import { transitionCases } from './job-store-contract-transitions.js';

export type { JobStoreFixture, MakeJobStoreFixture } from './job-store-contract-support.js';

/** Registers (and queues to run) every contract suite for one JobStore adapter. */
export function jobStoreContract(name: string, makeFixture: MakeJobStoreFixture): void {
  createCases(name, makeFixture);
  transitionCases(name, makeFixture);
  listCases(name, makeFixture);
  changeCases(name, makeFixture);
  attemptCases(name, makeFixture);
}
