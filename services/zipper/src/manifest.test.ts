import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RenamedKey } from './archive-plan.js';
import { EVENT_MANIFEST_ITEMS, EVENT_MANIFEST_LIST_BYTES, manifestForEvent } from './manifest.js';

const forEvent = suite('manifestForEvent');

forEvent('is a function', () => assert.type(manifestForEvent, 'function'));

forEvent('1,000 skipped keys of 1,000 bytes are cut to the byte budget; the totals count them all', () => {
  const skipped = Array.from({ length: 5_000 }, (_, i) => ({ key: `${String(i).padStart(5, '0')}${'k'.repeat(995)}`, reason: 'not found' }));
  const renamed: RenamedKey[] = Array.from({ length: 5_000 }, (_, i) => ({ key: `${i}${'r'.repeat(990)}`, name: `${i}.txt`, reasons: [] }));
  const event = manifestForEvent({ jobId: 'j', source: {}, included: 3, renamed, skipped });
  assert.is(event.skippedTotal, 5_000);
  assert.is(event.renamedTotal, 5_000);
  assert.ok(event.skipped.length > 0 && event.skipped.length < EVENT_MANIFEST_ITEMS, `${event.skipped.length} skipped entries kept`);
  assert.equal(event.skipped[0], skipped[0], 'the first ones, unchanged');
  assert.ok(Buffer.byteLength(JSON.stringify(event.skipped)) <= EVENT_MANIFEST_LIST_BYTES);
  assert.ok(Buffer.byteLength(JSON.stringify(event.renamed)) <= EVENT_MANIFEST_LIST_BYTES);
  assert.ok(Buffer.byteLength(JSON.stringify(event)) < 2 * EVENT_MANIFEST_LIST_BYTES + 1_024, 'the whole manifest stays far under 256 KiB');
});

forEvent('short keys: up to 1,000 entries of each list', () => {
  const skipped = Array.from({ length: 3_000 }, (_, i) => ({ key: `k${i}`, reason: 'not found' }));
  const event = manifestForEvent({ jobId: 'j', source: {}, included: 0, renamed: [], skipped });
  assert.is(event.skipped.length, EVENT_MANIFEST_ITEMS);
  assert.is(event.skippedTotal, 3_000);
});

forEvent.run();
