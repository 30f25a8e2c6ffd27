import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { A4, MARGIN, MIN_COLUMN_WIDTH, fitWidths, planTable } from './pdf-layout.js';

const PORTRAIT_LINE = A4.width - 2 * MARGIN; // 523.28 pt between the margins
const LANDSCAPE_LINE = A4.height - 2 * MARGIN; // 769.89 pt

const sum = (widths: readonly number[]): number => widths.reduce((a, b) => a + b, 0);

/** Widths are fractions of a point; a thousandth is far below anything a reader could see. */
function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: expected ${expected}, got ${actual}`);
}

function closeAll(actual: readonly number[], expected: readonly number[]): void {
  assert.is(actual.length, expected.length, 'column count');
  actual.forEach((w, i) => close(w, expected[i]!, `column ${i + 1}`));
}

const plan = suite('planTable');

plan('is a function', () => assert.type(planTable, 'function'));

plan('columns that fit across A4 stay portrait and fill the line', () => {
  const table = planTable([100, 150, 80]);
  assert.is(table.layout, 'portrait');
  assert.is(table.pageWidth, A4.width);
  assert.is(table.pageHeight, A4.height);
  close(sum(table.widths), PORTRAIT_LINE, 'table width');
});

plan('columns exactly as wide as the portrait line stay portrait', () => {
  const table = planTable([PORTRAIT_LINE / 2, PORTRAIT_LINE / 2]);
  assert.is(table.layout, 'portrait');
  closeAll(table.widths, [PORTRAIT_LINE / 2, PORTRAIT_LINE / 2]);
});

plan('columns wider than the portrait line turn the page sideways', () => {
  const table = planTable([200, 200, 200]);
  assert.is(table.layout, 'landscape');
  assert.is(table.pageWidth, A4.height);
  assert.is(table.pageHeight, A4.width);
  close(sum(table.widths), LANDSCAPE_LINE, 'table width');
  // Room to spare in landscape: shared in proportion, so equal columns stay equal.
  closeAll(table.widths, [LANDSCAPE_LINE / 3, LANDSCAPE_LINE / 3, LANDSCAPE_LINE / 3]);
});

plan('columns too wide even for landscape are squeezed into it, narrow ones untouched', () => {
  const table = planTable([60, 900, 900]);
  assert.is(table.layout, 'landscape');
  close(sum(table.widths), LANDSCAPE_LINE, 'table width');
  close(table.widths[0]!, 60, 'narrow column');
  close(table.widths[1]!, (LANDSCAPE_LINE - 60) / 2, 'wide column');
});

plan('many tiny columns are planned at their minimum width, so they still fit the paper', () => {
  // 20 one-character columns: 240 pt as measured, but 20 × MIN_COLUMN_WIDTH = 560 pt as laid
  // out — wider than the portrait line, so the table must go landscape rather than run off the page.
  const table = planTable(new Array<number>(20).fill(12));
  assert.is(table.layout, 'landscape');
  assert.ok(sum(table.widths) <= table.pageWidth - 2 * MARGIN + 1e-6, `table is ${sum(table.widths)} pt wide`);
  for (const w of table.widths) assert.ok(w >= MIN_COLUMN_WIDTH);
});

plan('no columns: a portrait page with no widths', () => {
  assert.equal(planTable([]), { layout: 'portrait', pageWidth: A4.width, pageHeight: A4.height, widths: [] });
});

plan.run();

const fit = suite('fitWidths');

fit('is a function', () => assert.type(fitWidths, 'function'));

fit('spare room is shared in proportion to the natural widths', () => {
  const widths = fitWidths([100, 300], 800);
  closeAll(widths, [200, 600]);
  close(sum(widths), 800, 'table width');
});

fit('widths always add up to the available width when the minimum allows it', () => {
  const cases: [number[], number][] = [
    [[10, 20, 30], 523.28],
    [[500, 20, 700, 45, 90], 769.89],
    [[1000, 1000, 1000], 300],
    [[40, 100, 130, 500, 500], 600],
    [[MIN_COLUMN_WIDTH, MIN_COLUMN_WIDTH], 2 * MIN_COLUMN_WIDTH],
  ];
  for (const [natural, available] of cases) close(sum(fitWidths(natural, available)), available, `${natural.join('+')} into ${available}`);
});

fit('when space is short, narrow columns keep their width and the wide ones share the rest', () => {
  closeAll(fitWidths([50, 50, 400, 400], 500), [50, 50, 200, 200]);
});

fit('water filling settles in rounds: a column under the new share keeps its width too', () => {
  // Round 1: share 120 keeps 40 and 100. Round 2: share 460 / 3 ≈ 153 keeps 130.
  // Round 3: the two wide columns split the 330 left.
  closeAll(fitWidths([40, 100, 130, 500, 500], 600), [40, 100, 130, 165, 165]);
});

fit('columns keep their order', () => {
  closeAll(fitWidths([400, 50, 400, 50], 500), [200, 50, 200, 50]);
});

fit('no column is made narrower than MIN_COLUMN_WIDTH', () => {
  // With room to spare, a 5 pt column is treated as MIN_COLUMN_WIDTH before sharing out.
  closeAll(fitWidths([5, MIN_COLUMN_WIDTH], 4 * MIN_COLUMN_WIDTH), [2 * MIN_COLUMN_WIDTH, 2 * MIN_COLUMN_WIDTH]);
  // Short of room, a tiny column still gets the minimum, not its natural width.
  const squeezed = fitWidths([5, 400, 400], 300);
  closeAll(squeezed, [MIN_COLUMN_WIDTH, (300 - MIN_COLUMN_WIDTH) / 2, (300 - MIN_COLUMN_WIDTH) / 2]);
  // More columns than the minimum allows: each gets the minimum, and the table is wider than asked.
  const crowded = fitWidths(new Array<number>(10).fill(100), 100);
  assert.equal(crowded, new Array<number>(10).fill(MIN_COLUMN_WIDTH));
});

fit('no columns, no widths', () => {
  assert.equal(fitWidths([], 523.28), []);
  assert.equal(fitWidths([], 0), []);
});

fit.run();
