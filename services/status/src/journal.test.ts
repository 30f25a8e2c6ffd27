import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { JOURNAL_PREFIX, journalKey } from './journal.js';

const key = suite('journalKey');

key('is the default prefix, then the UTC hour folders and a stamped file', () => {
  const at = Date.UTC(2026, 11, 4, 18, 5, 6, 7);
  assert.is(JOURNAL_PREFIX, 'journal/');
  assert.match(journalKey(at), /^journal\/2026\/12\/04\/18\/20261204T180506007Z-[0-9a-f-]{36}\.jsonl$/);
});

key('uses the configured prefix (JOURNAL_PREFIX)', () => {
  assert.match(journalKey(0, 'prod/events/'), /^prod\/events\/1970\/01\/01\/00\//);
});

key.run();
