/**
 * openpyxl (the harness's Python venv) reading a workbook we wrote, through read-xlsx.py:
 * what a user's spreadsheet code would see.
 */
import { fileURLToPath } from 'node:url';
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
  rows: PyCell[][];
}

export interface ScannedSheet {
  title: string;
  rows: number;
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
