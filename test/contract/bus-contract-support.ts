/**
 * Pieces every Bus contract case uses: a suite that owns one fixture and the consumers it
 * starts, a collector of deliveries with deadline-bounded waits, and sample events.
 */
import { randomUUID } from 'node:crypto';
import { suite, type Test } from 'uvu';
import {
  EventType,
  type Delivery,
  type PipelineEvent,
  type Subscription,
} from '@artifact-pipeline/shared';
import { uniqueName, waitFor, withDeadline } from '../harness/support.js';
import type { BusFixture, ContractOptions, SpawnedConsumer } from './bus-contract-types.js';

export interface CaseContext {
  fixture: BusFixture;
  /** Stopped after each test, so a failing test never leaves a consumer running. */
  subscriptions: Subscription[];
  children: SpawnedConsumer[];
  timeoutMs: number;
  redeliveryTimeoutMs: number;
}

/** A uvu suite whose `before` builds the fixture and whose `after` hooks close everything. */
export function caseSuite(
  title: string,
  makeFixture: () => Promise<BusFixture>,
  options: ContractOptions,
): Test<CaseContext> {
  const context = {
    subscriptions: [],
    children: [],
    timeoutMs: options.timeoutMs ?? 20_000,
    redeliveryTimeoutMs: options.redeliveryTimeoutMs ?? 30_000,
  } as unknown as CaseContext;
  const s = suite<CaseContext>(title, context);
  s.before(async (ctx) => {
    ctx.fixture = await withDeadline(makeFixture(), 60_000, 'the bus fixture to start');
  });
  s.after.each(async (ctx) => {
    for (const child of ctx.children.splice(0)) child.kill();
    const subs = ctx.subscriptions.splice(0);
    await withDeadline(Promise.all(subs.map((sub) => sub.stop(0))), 30_000, 'consumers to stop');
  });
  s.after(async (ctx) => {
    if (ctx.fixture) await withDeadline(ctx.fixture.close(), 30_000, 'the bus fixture to close');
  });
  return s;
}

/** One delivery as a handler saw it. */
export interface Seen {
  event: PipelineEvent;
  delivery: Delivery;
}

/** Collects what handlers see and waits, under a deadline, until a condition holds. */
export interface Inbox<T> {
  readonly items: T[];
  push(item: T): void;
  until(condition: (items: T[]) => boolean, what: string, timeoutMs: number): Promise<T[]>;
}

export function createInbox<T>(): Inbox<T> {
  const items: T[] = [];
  return {
    items,
    push: (item) => void items.push(item),
    until: (condition, what, timeoutMs) =>
      waitFor(() => (condition(items) ? items : undefined), what, { timeoutMs, intervalMs: 20 }),
  };
}

/** Ids of the events in `seen`, in order, for readable assertions. */
export function idsOf(seen: readonly Seen[]): string[] {
  return seen.map((s) => s.event.id);
}

export interface JobStartedData {
  jobId: string;
  type: 'zip' | 'report';
  attempt: number;
}

/**
 * A valid job.started event with every CloudEvents attribute the pipeline uses set
 * (DESIGN §3). Its own `traceparent` extension names a trace no test span belongs to, so
 * the round trip can tell the per-hop context apart from the originating one.
 */
export function sampleEvent(label = 'job'): PipelineEvent<JobStartedData> {
  const jobId = uniqueName(label);
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/artifact-pipeline/contract-test',
    type: EventType.jobStarted,
    time: new Date().toISOString(),
    subject: jobId,
    datacontenttype: 'application/json',
    dataschema: 'https://artifact-pipeline.dev/schemas/job.started.v1.json',
    partitionkey: jobId,
    traceparent: ORIGIN_TRACEPARENT,
    tracestate: 'ap=contract',
    idempotencykey: `idem-${jobId}`,
    data: { jobId, type: 'zip', attempt: 1 },
  };
}

export const ORIGIN_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const ORIGIN_TRACEPARENT = `00-${ORIGIN_TRACE_ID}-b7ad6b7169203331-01`;

/** A promise with its resolve exposed: a gate a test opens when it decides. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves when `signal` aborts. */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
