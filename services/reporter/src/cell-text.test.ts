import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alignOf, cellText } from './cell-text.js';

const text = suite('cellText');

text('is a function', () => assert.type(cellText, 'function'));

text('a date at midnight UTC is shown as the day alone', () => {
  assert.is(cellText(new Date(Date.UTC(2024, 2, 5)), 'date'), '2024-03-05');
  assert.is(cellText(new Date(Date.UTC(1969, 11, 31)), 'date'), '1969-12-31');
});

text('a date with a time is shown to the minute, in UTC, and says so', () => {
  assert.is(cellText(new Date(Date.UTC(2024, 2, 5, 10, 30)), 'date'), '2024-03-05 10:30 UTC');
  // 23:30 at +02:00 is 21:30 UTC: the zone the value was written in does not leak through.
  assert.is(cellText(new Date('2024-03-05T23:30:00+02:00'), 'date'), '2024-03-05 21:30 UTC');
  // Seconds alone still make it a time, not a day.
  assert.is(cellText(new Date(Date.UTC(2024, 2, 5, 0, 0, 45)), 'date'), '2024-03-05 00:00 UTC');
});

text('amounts have grouping and exactly two decimals', () => {
  assert.is(cellText(1234.5, 'currency'), '1,234.50');
  assert.is(cellText(1234567.891, 'currency'), '1,234,567.89');
  assert.is(cellText(0, 'currency'), '0.00');
  assert.is(cellText(-12.5, 'currency'), '-12.50');
  assert.is(cellText(7, 'currency'), '7.00');
});

text('plain numbers are shown as written, without grouping or padding', () => {
  assert.is(cellText(1234.5, 'number'), '1234.5');
  assert.is(cellText(42, 'number'), '42');
  assert.is(cellText(-0.25, 'number'), '-0.25');
});

text('booleans read as yes / no', () => {
  assert.is(cellText(true, 'boolean'), 'yes');
  assert.is(cellText(false, 'boolean'), 'no');
});

text('an empty cell is empty text in every type', () => {
  for (const type of ['string', 'number', 'date', 'boolean', 'currency'] as const) assert.is(cellText(null, type), '');
});

text('strings come through untouched, line breaks and all', () => {
  assert.is(cellText('Zoë Łódź', 'string'), 'Zoë Łódź');
  assert.is(cellText('first\nsecond', 'string'), 'first\nsecond');
  assert.is(cellText('', 'string'), '');
});

text.run();

const align = suite('alignOf');

align('is a function', () => assert.type(alignOf, 'function'));

align('numbers and amounts line up on the right', () => {
  assert.is(alignOf('number'), 'right');
  assert.is(alignOf('currency'), 'right');
});

align('text, dates and booleans line up on the left', () => {
  assert.is(alignOf('string'), 'left');
  assert.is(alignOf('date'), 'left');
  assert.is(alignOf('boolean'), 'left');
});

align.run();
