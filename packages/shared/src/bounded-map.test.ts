import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBoundedMap } from './bounded-map.js';

const bounded = suite('createBoundedMap');
bounded('keeps the last `capacity` keys inserted and forgets the oldest first', () => {
  const map = createBoundedMap<string, number>(3);
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
  assert.is(map.size, 3);
  assert.is(map.has('a'), false);
  assert.equal(['b', 'c', 'd'].map((k) => map.get(k)), [1, 2, 3]);
});
bounded('setting a held key updates it without taking another place', () => {
  const map = createBoundedMap<string, number>(2);
  map.set('a', 1);
  map.set('a', 2);
  map.set('b', 3);
  assert.is(map.get('a'), 2, 'a was not pushed out by its own update');
  map.set('c', 4);
  assert.is(map.has('a'), false, 'a is still the oldest inserted');
  assert.equal([map.get('b'), map.get('c')], [3, 4]);
});
bounded('a deleted key is gone and its place frees up in turn', () => {
  const map = createBoundedMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  map.delete('a');
  assert.is(map.get('a'), undefined);
  map.set('c', 3);
  assert.equal([map.has('b'), map.has('c'), map.size], [true, true, 2]);
});
bounded('stays bounded over many more keys than it holds', () => {
  const map = createBoundedMap<number, number>(100);
  for (let i = 0; i < 10_000; i++) map.set(i, i);
  assert.is(map.size, 100);
  assert.is(map.get(9_900), 9_900);
  assert.is(map.has(9_899), false);
});
bounded('capacity below 1 is refused', () => {
  assert.throws(() => createBoundedMap(0), /capacity/);
});
bounded.run();
