/**
 * The Leases contract: one suite the Redis and memory adapters both pass (ports/lease.ts).
 *
 *   leasesContract('redis', async () => ({ leases, advance: () => {}, close }));
 *
 * What the cases require: A acquires, B is refused; A acquiring again is true; A renews, B
 * cannot; B cannot release A's lease; after A releases, B acquires; a lapsed lease is free
 * for the next holder and its old holder can neither renew nor release it; of 20 holders
 * racing for one name exactly one wins; bad input is INVALID_INPUT.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, isPipelineError, type Leases } from '@artifact-pipeline/shared';
import { uniqueName, waitFor, withDeadline } from '../harness/support.js';

export interface LeasesFixture {
  /** Leases over data no other test sees. */
  leases: Leases;
  /** `n` more Leases over the same data (own connections where the adapter has them). */
  peers(n: number): Promise<Leases[]>;
  /** Moves an injected clock forward; adapters on real time let time pass by themselves. */
  advance(ms: number): void;
  close(): Promise<void>;
}

interface Ctx {
  fixture: LeasesFixture;
  name: string;
}

export function leasesContract(adapter: string, makeFixture: () => Promise<LeasesFixture>): void {
  const test = suite<Ctx>(`${adapter} Leases`, {} as Ctx);
  test.before.each(async (ctx) => {
    ctx.fixture = await makeFixture();
    ctx.name = uniqueName('lease');
  });
  test.after.each(async (ctx) => {
    await ctx.fixture.close();
  });

  test('has the shape of Leases', ({ fixture: { leases } }) => {
    for (const method of ['acquire', 'renew', 'release'] as const) assert.type(leases[method], 'function');
  });

  test('one holder at a time; renew and release only by the holder', async ({ fixture: { leases }, name }) => {
    assert.is(await leases.acquire(name, 'A', 30_000), true);
    assert.is(await leases.acquire(name, 'B', 30_000), false);
    assert.is(await leases.acquire(name, 'A', 30_000), true, 'A already holds it');
    assert.is(await leases.renew(name, 'A', 30_000), true);
    assert.is(await leases.renew(name, 'B', 30_000), false);
    await leases.release(name, 'B');
    assert.is(await leases.acquire(name, 'B', 30_000), false, 'B could not release what A holds');
    await leases.release(name, 'A');
    assert.is(await leases.renew(name, 'A', 30_000), false, 'released is released');
    assert.is(await leases.acquire(name, 'B', 30_000), true);
  });

  test('names are independent', async ({ fixture: { leases }, name }) => {
    assert.is(await leases.acquire(name, 'A', 30_000), true);
    assert.is(await leases.acquire(`${name}-other`, 'B', 30_000), true);
  });

  test('a lapsed lease is free; its old holder can neither renew nor release it', async ({ fixture, name }) => {
    const { leases } = fixture;
    assert.is(await leases.acquire(name, 'A', 200), true);
    fixture.advance(300);
    await waitFor(() => leases.acquire(name, 'B', 30_000), 'the lease to lapse', { timeoutMs: 5_000, intervalMs: 50 });
    assert.is(await leases.renew(name, 'A', 30_000), false);
    await leases.release(name, 'A');
    assert.is(await leases.acquire(name, 'C', 30_000), false, 'B still holds it');
  });

  test('renewing keeps a lease past its first TTL', async ({ fixture, name }) => {
    const { leases } = fixture;
    const kept = `${name}-kept`;
    assert.is(await leases.acquire(name, 'A', 200), true);
    assert.is(await leases.acquire(kept, 'A', 200), true);
    assert.is(await leases.renew(kept, 'A', 60_000), true);
    fixture.advance(300);
    // once the lease taken alongside it has lapsed, the renewed one would have too
    await waitFor(() => leases.acquire(name, 'B', 30_000), 'the unrenewed lease to lapse', { timeoutMs: 5_000 });
    assert.is(await leases.acquire(kept, 'B', 30_000), false);
  });

  test('of 20 holders racing for one name exactly one wins', async ({ fixture, name }) => {
    const all = [fixture.leases, ...(await fixture.peers(4))];
    const won = await withDeadline(
      Promise.all(Array.from({ length: 20 }, (_, i) => all[i % all.length]!.acquire(name, `holder-${i}`, 30_000))),
      10_000,
      'racing acquires',
    );
    assert.is(won.filter(Boolean).length, 1);
  });

  test('refuses an empty name or holder and a TTL that is not whole ms >= 1', async ({ fixture: { leases }, name }) => {
    for (const call of [
      () => leases.acquire('', 'A', 1000),
      () => leases.acquire(name, '', 1000),
      () => leases.acquire(name, 'A', 0),
      () => leases.renew(name, 'A', 1.5),
    ]) {
      const err = await call().catch((e: unknown) => e);
      assert.ok(isPipelineError(err) && err.code === ErrorCode.INVALID_INPUT, String(err));
    }
  });

  test.run();
}
