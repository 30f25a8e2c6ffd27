import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fromDosDateTime, toDosDateTime, unixSeconds } from './dos-time.js';

const toDos = suite('toDosDateTime');

toDos('is a function', () => assert.type(toDosDateTime, 'function'));

toDos('packs UTC fields as APPNOTE 4.4.6 says', () => {
  const dos = toDosDateTime(new Date(Date.UTC(2024, 1, 29, 13, 45, 30)));
  assert.equal(dos, { date: (44 << 9) | (2 << 5) | 29, time: (13 << 11) | (45 << 5) | 15 });
});

toDos('keeps 2-second steps, rounding odd seconds down', () => {
  const dos = toDosDateTime(new Date(Date.UTC(2001, 0, 1, 0, 0, 59, 999)));
  assert.is(dos.time & 0x1f, 29);
  assert.equal(fromDosDateTime(dos), new Date(Date.UTC(2001, 0, 1, 0, 0, 58)));
});

toDos('does not depend on the host time zone', () => {
  const when = new Date('2030-06-15T23:30:00Z');
  assert.equal(fromDosDateTime(toDosDateTime(when)), when);
});

toDos('clamps to the range DOS fields can hold', () => {
  assert.equal(fromDosDateTime(toDosDateTime(new Date(Date.UTC(1970, 0, 1)))), new Date(Date.UTC(1980, 0, 1)));
  assert.equal(fromDosDateTime(toDosDateTime(new Date(Date.UTC(2200, 5, 1)))), new Date(Date.UTC(2107, 11, 31, 23, 59, 58)));
  assert.equal(fromDosDateTime(toDosDateTime(new Date(Number.NaN))), new Date(Date.UTC(1980, 0, 1)));
});

toDos('round-trips every month end of a leap year', () => {
  for (let month = 0; month < 12; month++) {
    const when = new Date(Date.UTC(2028, month + 1, 0, 12, 0, 0));
    assert.equal(fromDosDateTime(toDosDateTime(when)), when);
  }
});

toDos.run();

const unix = suite('unixSeconds');

unix('whole seconds since 1970 while they fit a signed 32-bit field', () => {
  assert.is(unixSeconds(new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 900))), 1709214330);
  assert.is(unixSeconds(new Date(0)), 0);
  assert.is(unixSeconds(new Date(Date.UTC(2038, 0, 19, 3, 14, 7))), 0x7fffffff);
  assert.is(unixSeconds(new Date(Date.UTC(2038, 0, 19, 3, 14, 8))), undefined);
  assert.is(unixSeconds(new Date(-1000)), undefined);
});

unix.run();
