import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRecentIds } from './recent-ids.js';

const recent = suite('createRecentIds');
recent('an id is new once, then seen', () => {
  const ids = createRecentIds(3);
  assert.is(ids.seen('a'), false);
  assert.is(ids.seen('a'), true);
});
recent('keeps the last `capacity` ids and forgets the oldest first', () => {
  const ids = createRecentIds(3);
  for (const id of ['a', 'b', 'c', 'd']) assert.is(ids.seen(id), false);
  assert.is(ids.seen('b'), true);
  assert.is(ids.seen('c'), true);
  assert.is(ids.seen('d'), true);
  assert.is(ids.seen('a'), false, 'a was the oldest and is forgotten');
  assert.is(ids.seen('b'), false, 'a coming back pushed out b, by then the oldest');
});
recent('stays bounded over many more ids than it holds', () => {
  const ids = createRecentIds(100);
  for (let i = 0; i < 10_000; i++) ids.seen(`e${i}`);
  assert.is(ids.seen('e9999'), true);
  assert.is(ids.seen('e9900'), true);
  assert.is(ids.seen('e9899'), false);
});
recent.run();
