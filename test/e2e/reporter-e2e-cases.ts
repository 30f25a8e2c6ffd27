/**
 * The cases both transports run (reporter-sqs.test.ts, reporter-kafka.test.ts), each checked
 * the way a user would: the XLSX with openpyxl, the PDF with poppler (pdftotext, pdfinfo).
 *
 * 1. inline rows of every column type → an XLSX openpyxl reads back with exact values and types
 * 2. a 200,000-row CSV in S3 with quoted commas and embedded newlines → every row, tricky cells exact
 * 3. JSON lines in S3 → a PDF whose text holds the title, headers and (non-Latin) cells, on several pages,
 *    each with "page N of M"
 * 4. a bad CSV line → job.failed for good (INVALID_INPUT, the line), no object, no open upload
 * 5. a redelivered command for a finished job → acknowledged, no second artifact
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { EventType, Topic, createEvent } from '@artifact-pipeline/shared';
import { waitFor, withDeadline } from '../harness/support.js';
import {
  type ReporterWorld, type Transport, artifactKeys, closeWorld, completion, createWorld, download, failure, fetchArtifact,
  ofJob, openpyxlFull, openpyxlScan, outputPrefixOf, pdfInfo, pdfText, putSource, requestReport, waitForStatus, withScratch,
} from './reporter-e2e-support.js';

interface Ctx {
  world?: ReporterWorld;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const csvLine = (fields: string[]): string => `${fields.map(csvField).join(',')}\n`;

export function reporterCases(transport: Transport): void {
  const test = suite<Ctx>(`reporter over ${transport} (createReporterService in process)`, {});
  test.before(async (ctx) => {
    // uvu swallows an error thrown here (docs/testing.md): say what it was.
    ctx.world = await withDeadline(createWorld(transport), 60_000, 'the reporter world to start').catch((err: unknown) => {
      console.error('the reporter world did not start:', err);
      throw err;
    });
  });
  test.after(async (ctx) => {
    await closeWorld(ctx.world);
  });

  test('inline rows with every column type: openpyxl reads back the exact values and types', async ({ world }) => {
    const w = world!;
    const name = 'Besucher – Zoë.xlsx';
    const command = await requestReport(w, {
      format: 'xlsx',
      title: 'Visitors 2024',
      output: { name },
      columns: [
        { key: 'city', header: 'City' },
        { key: 'visitors', header: 'Visitors', type: 'number' },
        { key: 'first', header: 'First visit', type: 'date' },
        { key: 'member', header: 'Member', type: 'boolean' },
        { key: 'spent', header: 'Spent', type: 'currency' },
      ],
      rows: [
        { city: 'Lisbon', visitors: 1200, first: '2024-03-05', member: true, spent: 1234.5 },
        { city: 'Łódź', visitors: '800', first: '2024-02-29T10:30:00+02:00', member: 'no', spent: '$1,234.50' },
        { city: 'Zoë’s café & <bar>', visitors: 12.75, first: '1999-12-31T23:59:59Z', member: 'YES', spent: '(3.00)' },
        { city: '  padded  ', visitors: -3, first: '', member: false, spent: 0 },
        { city: 'Ελληνικά', visitors: '1e3', first: '2024-01-01', member: 0, spent: '€ 12' },
      ],
    });
    const done = await completion(w, command.subject!);
    assert.is(done.output.contentType, XLSX_TYPE);
    assert.is(done.output.key, `${outputPrefixOf(command)}${name}`);
    assert.is(done.manifest.included, 5);

    const sheet = await withScratch(async (dir) => {
      const file = path.join(dir, 'visitors.xlsx');
      // Through the presigned link, as the user gets it.
      const headers = await download(done.downloadUrl, file);
      assert.is(headers.get('content-type'), XLSX_TYPE);
      assert.match(headers.get('content-disposition') ?? '', "filename*=UTF-8''Besucher%20%E2%80%93%20Zo%C3%AB.xlsx");
      assert.is(Number(headers.get('content-length')), done.output.size);
      const { sheets } = await openpyxlFull(file);
      assert.is(sheets.length, 1);
      return sheets[0]!;
    });
    assert.is(sheet.title, 'Visitors 2024');
    assert.equal(sheet.rows, [
      [['City', 'str'], ['Visitors', 'str'], ['First visit', 'str'], ['Member', 'str'], ['Spent', 'str']],
      [['Lisbon', 'str'], [1200, 'int'], ['2024-03-05T00:00:00', 'datetime'], [true, 'bool'], [1234.5, 'float']],
      [['Łódź', 'str'], [800, 'int'], ['2024-02-29T08:30:00', 'datetime'], [false, 'bool'], [1234.5, 'float']],
      [['Zoë’s café & <bar>', 'str'], [12.75, 'float'], ['1999-12-31T23:59:59', 'datetime'], [true, 'bool'], [-3, 'int']],
      [['  padded  ', 'str'], [-3, 'int'], [null, 'NoneType'], [false, 'bool'], [0, 'int']],
      [['Ελληνικά', 'str'], [1000, 'int'], ['2024-01-01T00:00:00', 'datetime'], [false, 'bool'], [12, 'int']],
    ]);
    assert.equal(sheet.headerBold, [true, true, true, true, true], 'the header row is bold');
    assert.is(sheet.freeze, 'A2', 'the header row is frozen');
    assert.is(sheet.autoFilter, 'A1:E6', 'the autofilter covers the header and the rows');
    // The date column holds times (one with seconds): its default format shows them.
    assert.equal(sheet.formats, ['General', 'General', 'yyyy-mm-dd hh:mm:ss', 'General', '#,##0.00']);
  });

  test('a 200,000-row CSV in S3 with quoted commas and embedded newlines: every row, tricky cells exact', async ({ world }) => {
    const w = world!;
    const ROWS = 200_000;
    const rowOf = (i: number): [number, string, string] => [
      i,
      i % 1000 === 7 ? `Doe, Jane "JD" ${i}` : `user ${i}`,
      i % 997 === 3 ? `first line\nsecond, line ${i}\n` : i % 1009 === 5 ? `one\r\ntwo, ${i}` : `n${i}`,
    ];
    await withDeadline(putSource(w, 'big/people.csv', (function* () {
      let chunk = csvLine(['id', 'name', 'note']);
      for (let i = 0; i < ROWS; i++) {
        const [id, nameText, note] = rowOf(i);
        chunk += csvLine([String(id), nameText, note]);
        if (chunk.length >= 256 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
    })()), 60_000, 'the CSV upload');
    const source = await w.objects.head(w.sourceBucket, 'big/people.csv');

    const command = await requestReport(w, {
      format: 'xlsx', title: 'People', output: { name: 'people.xlsx' },
      columns: [{ key: 'id', header: 'Id', type: 'number' }, { key: 'name', header: 'Name' }, { key: 'note', header: 'Note' }],
      source: { bucket: w.sourceBucket, key: 'big/people.csv', format: 'csv' },
    });
    const done = await completion(w, command.subject!, 120_000);
    assert.is(done.manifest.included, ROWS);
    const last = ofJob(w, command.subject!, EventType.jobProgressed).at(-1)?.data as { bytesDone: number; bytesTotal: number; itemsDone: number };
    assert.equal(
      { bytesDone: last.bytesDone, bytesTotal: last.bytesTotal, itemsDone: last.itemsDone },
      { bytesDone: source!.size, bytesTotal: source!.size, itemsDone: ROWS },
      'the last progress shows the whole source read and every row written',
    );

    // Record i is on sheet row i + 2 (row 1 is the header).
    const tricky = [0, 3, 5, 7, 1007, 1999, 100_007, 150_002, 199_999];
    const { sheets } = await withScratch(async (dir) => {
      const file = path.join(dir, 'people.xlsx');
      await fetchArtifact(w, done.output.key, file);
      return openpyxlScan(file, [1, ...tricky.map((i) => i + 2)]);
    });
    assert.is(sheets.length, 1);
    const sheet = sheets[0]!;
    assert.is(sheet.rows, ROWS + 1, 'the header and every row');
    assert.equal(sheet.picked['1'], [['Id', 'str'], ['Name', 'str'], ['Note', 'str']]);
    for (const i of tricky) {
      const [id, nameText, note] = rowOf(i);
      assert.equal(sheet.picked[String(i + 2)], [[id, 'int'], [nameText, 'str'], [note, 'str']], `row ${i + 2}`);
    }
  });

  test('a PDF from JSON lines: pdftotext finds the title, headers and cells; pdfinfo the pages', async ({ world }) => {
    const w = world!;
    const ROWS = 150;
    const NAMES = ['Zoë', 'Łódź', 'Ελληνικά', 'Ødegård', 'Москва'];
    const CITIES = ['Kraków', 'Αθήνα', 'São Paulo', 'Zürich'];
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      name: `${NAMES[i % NAMES.length]!} ${i}`,
      city: CITIES[i % CITIES.length]!,
      joined: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
      active: i % 3 === 0,
      balance: (i * 123_456) / 100,
    }));
    await putSource(w, 'pdf/members.jsonl', [rows.map((r) => JSON.stringify(r)).join('\n') + '\n']);
    const title = 'Members — Łódź & Zoë';
    const command = await requestReport(w, {
      format: 'pdf', title, output: { name: 'members.pdf' },
      columns: [
        { key: 'name', header: 'Name' },
        { key: 'city', header: 'City' },
        { key: 'joined', header: 'Joined', type: 'date' },
        { key: 'active', header: 'Active', type: 'boolean' },
        { key: 'balance', header: 'Balance', type: 'currency' },
      ],
      source: { bucket: w.sourceBucket, key: 'pdf/members.jsonl', format: 'jsonl' },
    });
    const jobId = command.subject!;
    const done = await completion(w, jobId);
    assert.is(done.output.contentType, 'application/pdf');
    assert.is(done.manifest.included, ROWS);

    const { text, info } = await withScratch(async (dir) => {
      const file = path.join(dir, 'members.pdf');
      await download(done.downloadUrl, file);
      return { text: await pdfText(file), info: await pdfInfo(file) };
    });
    assert.ok(text.includes(title), 'the title');
    assert.is(info.Title, title, 'the document title');
    for (const header of ['Name', 'City', 'Joined', 'Active', 'Balance']) assert.ok(text.includes(header), `header ${header}`);
    const amount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const missing = rows.flatMap((r) =>
      [r.name, r.city, r.joined, amount.format(r.balance)].filter((cell) => !text.includes(cell)),
    );
    assert.equal(missing, [], 'every cell is in the text');
    assert.ok(text.includes('yes') && text.includes('no'), 'booleans as yes / no');

    const pages = Number(info.Pages);
    const footers = [...text.matchAll(/^page (\d+) of (\d+)$/gm)].map((m) => `${m[1]} of ${m[2]}`);
    assert.ok(pages > 1, `more than one page (${pages})`);
    assert.equal(footers, Array.from({ length: pages }, (_, i) => `${i + 1} of ${pages}`), 'a "page N of M" footer on every page, in order');
    const written = w.logs.find((l) => l.jobId === jobId && l.msg === 'report written');
    assert.is(written?.pages, pages, 'the pages the reporter says it wrote');
  });

  test('a bad CSV line fails the job for good with its line number, leaving no object and no open upload', async ({ world }) => {
    const w = world!;
    // Rows of ~1,000 incompressible characters: the bad line comes after more than one 8 MiB
    // part of output, so the multipart upload has begun and must be aborted.
    const ROWS = 16_000;
    const BAD = 15_000;
    const pool = randomBytes(3 << 20).toString('base64');
    const blob = (i: number): string => {
      const at = (i * 7919) % (pool.length - 1000);
      return pool.slice(at, at + 1000);
    };
    let badLine = 0;
    await putSource(w, 'bad/data.csv', (function* () {
      let line = 1;
      let chunk = csvLine(['id', 'blob', 'amount']);
      for (let i = 0; i < ROWS; i++) {
        // Some notes span lines: the reported line is the file's line, not the record's index.
        const text = i % 500 === 1 ? `${blob(i)}\nmore\nlines` : blob(i);
        const amount = i === BAD ? 'ten' : String(i / 4);
        if (i === BAD) badLine = line + 1;
        const out = csvLine([String(i), text, amount]);
        line += out.split('\n').length - 1;
        chunk += out;
        if (chunk.length >= 1 << 20) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
    })());
    const command = await requestReport(w, {
      format: 'xlsx', title: 'Bad', output: { name: 'bad.xlsx' },
      columns: [{ key: 'id', header: 'Id', type: 'number' }, { key: 'blob', header: 'Blob' }, { key: 'amount', header: 'Amount', type: 'number' }],
      source: { bucket: w.sourceBucket, key: 'bad/data.csv', format: 'csv' },
    });
    const jobId = command.subject!;
    const failed = await failure(w, jobId, 90_000);
    assert.is(failed.error.code, 'INVALID_INPUT');
    assert.is(failed.error.retriable, false);
    assert.is(failed.final, true);
    assert.is(failed.attempt, 1);
    assert.match(failed.error.message, `line ${badLine}: column "amount": "ten" is not a number`);
    await waitForStatus(w, jobId, 'failed');
    assert.is((await w.jobs.get(jobId))?.error?.code, 'INVALID_INPUT');
    assert.is(ofJob(w, jobId, EventType.jobStarted).length, 1, 'not retried');
    const prefix = outputPrefixOf(command);
    assert.equal(await artifactKeys(w, prefix), [], 'no object under the job output prefix');
    assert.equal(await w.objects.listIncompleteUploads(w.artifactsBucket, prefix), [], 'no incomplete multipart upload');
  });

  test('a redelivered command for a finished job is acknowledged without a second artifact', async ({ world }) => {
    const w = world!;
    const command = await requestReport(w, {
      format: 'xlsx', title: 'Again', output: { name: 'again.xlsx' },
      columns: [{ key: 'n', header: 'N', type: 'number' }], rows: [{ n: 1 }, { n: 2 }],
    });
    const jobId = command.subject!;
    const done = await completion(w, jobId);
    await waitForStatus(w, jobId, 'done');
    const before = await w.objects.head(w.artifactsBucket, done.output.key);

    await w.bus.publish(Topic.reportCommands, command);
    await waitFor(
      () => w.logs.some((l) => l.jobId === jobId && l.msg === 'job already finished; acknowledged without work'),
      'the reporter to acknowledge the redelivered command',
    );
    // Whatever the reporter published before this sentinel has been observed once it arrives.
    const sentinel = randomUUID();
    await w.bus.publish(Topic.events, createEvent(EventType.jobStarted, { jobId: sentinel, type: 'report', attempt: 1 }, { source: '/artifact-pipeline/e2e' }));
    await waitFor(() => w.events.some((e) => e.subject === sentinel), 'the sentinel event');

    assert.is(ofJob(w, jobId, EventType.jobStarted).length, 1, 'started once');
    assert.is(ofJob(w, jobId, EventType.jobCompleted).length, 1, 'completed once');
    assert.equal(await artifactKeys(w, outputPrefixOf(command)), [done.output.key], 'one artifact');
    const after = await w.objects.head(w.artifactsBucket, done.output.key);
    assert.equal([after?.etag, after?.lastModified?.getTime()], [before?.etag, before?.lastModified?.getTime()], 'the artifact was not written again');
    assert.is((await w.jobs.get(jobId))?.status, 'done');
  });

  test.run();
}
