/**
 * openpyxl (the harness's Python venv) reading a workbook we wrote, through read-xlsx.py:
 * what a user's spreadsheet code would see.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { runTool } from './zip-tools.js';

/** The harness's venv python, which has openpyxl. */
export const PYTHON = process.env.TEST_PYTHON ?? fileURLToPath(new URL('../../.cache/servers/moto-venv/bin/python', import.meta.url));
const READ_XLSX = fileURLToPath(new URL('../interop/read-xlsx.py', import.meta.url));

/** [value, Python type name], as read-xlsx.py prints a cell. */
export type PyCell = [unknown, string];

export interface FullSheet {
  title: string;
  freeze: string | null;
  autoFilter: string | null;
  headerBold: boolean[];
  /** Number format of each cell in row 2 (the first data row). */
  formats: string[];
  /** Horizontal alignment of each header cell and of each cell in row 2 (null = General). */
  headerAlign: (string | null)[];
  align: (string | null)[];
  rows: PyCell[][];
}

export interface ScannedSheet {
  title: string;
  rows: number;
  /** The size the sheet declares (its `<dimension>`); null without one. */
  maxRow: number | null;
  maxColumn: number | null;
  /** 1-based row number → its cells. */
  picked: Record<string, PyCell[]>;
}

async function readXlsx<T>(args: string[], timeoutMs: number): Promise<{ sheets: T[] }> {
  const r = await runTool(PYTHON, [READ_XLSX, ...args], { timeoutMs });
  if (r.code !== 0) throw new Error(`openpyxl could not read the workbook (exit ${r.code}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout) as { sheets: T[] };
}

/** Every sheet, loaded whole by openpyxl. */
export const openpyxlFull = (file: string, timeoutMs = 60_000) => readXlsx<FullSheet>(['full', file], timeoutMs);
/** openpyxl in read-only mode: row counts and the cells of `rows` (1-based). */
export const openpyxlScan = (file: string, rows: number[], timeoutMs = 150_000) =>
  readXlsx<ScannedSheet>(['scan', file, ...rows.map(String)], timeoutMs);

/**
 * LibreOffice Calc (Debian's libreoffice-calc-nogui, installed by the harness) converting the
 * workbook to CSV headless: the first sheet as a person would see it, every value as shown
 * (formats applied), one array per row.
 */
export async function libreOfficeCsv(file: string, timeoutMs = 180_000): Promise<string[][]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lo-csv-'));
  try {
    // A profile of its own, so runs side by side do not share (and lock) one.
    const args = [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', dir, file];
    const r = await runTool('soffice', args, { timeoutMs }).catch((err: Error) => {
      throw /not installed|ENOENT/.test(err.message)
        ? new Error("LibreOffice is not installed ('soffice' not found): apt-get install -y --no-install-recommends libreoffice-calc-nogui (npm test installs it as root)")
        : err;
    });
    const out = path.join(dir, `${path.basename(file).replace(/\.[^.]+$/, '')}.csv`);
    const text = await readFile(out, 'utf8').catch(() => {
      throw new Error(`LibreOffice wrote no CSV (exit ${r.code}): ${r.stdout} ${r.stderr}`.slice(0, 3000));
    });
    return parse(text, { relax_column_count: true }) as string[][];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
