/**
 * The report command's column options: `--columns file.json` (the request's `columns` array,
 * as is) or `--types name:number,when:date` (every column of the data file, in order, with
 * these typed and the rest inferred by the reporter). `--types` reads the names from the
 * file's CSV header row (csv-parse, as the reporter reads it) or its first JSON line.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { badInput } from '@artifact-pipeline/shared/errors';

const TYPES = ['string', 'number', 'date', 'boolean', 'currency'] as const;
const TYPE_ENTRY = new RegExp(`^(.+):(${TYPES.join('|')})(?::([A-Z]{3}))?$`);

export interface ColumnBody {
  key: string;
  header: string;
  type?: (typeof TYPES)[number];
  currency?: string;
}

export interface ColumnOptions {
  columnsFile?: string | undefined;
  types?: string | undefined;
  /** The data file's bytes and whether it is JSON lines. */
  data: Buffer;
  jsonLines: boolean;
  cwd: string;
}

export async function columnsFromOptions({ columnsFile, types, data, jsonLines, cwd }: ColumnOptions): Promise<unknown[] | undefined> {
  if (columnsFile !== undefined && types !== undefined) throw badInput('--columns and --types: give one of them, not both');
  if (columnsFile !== undefined) {
    const file = resolve(cwd, columnsFile);
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw badInput(`--columns: cannot read ${file}: ${err.code ?? err.message}`);
    });
    let columns: unknown;
    try {
      columns = JSON.parse(text);
    } catch (err) {
      throw badInput(`--columns: ${file} is not JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(columns) || columns.length === 0) {
      throw badInput(`--columns: ${file} must hold a non-empty JSON array of columns [{"key", "header", "type"?, "format"?, "currency"?}]`);
    }
    return columns;
  }
  if (types === undefined) return undefined;
  const wanted = new Map<string, { type: ColumnBody['type']; currency?: string }>();
  for (const entry of types.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const m = TYPE_ENTRY.exec(entry);
    if (!m) throw badInput(`--types: "${entry}" is not name:type (type one of ${TYPES.join(', ')}; currency may add a code, amount:currency:EUR)`);
    wanted.set(m[1]!, { type: m[2] as ColumnBody['type'], ...(m[3] ? { currency: m[3] } : {}) });
  }
  const names = jsonLines ? firstJsonKeys(data) : csvHeader(data);
  const unknown = [...wanted.keys()].filter((name) => !names.includes(name));
  if (unknown.length > 0) throw badInput(`--types: ${unknown.map((n) => `"${n}"`).join(', ')} not among the file's columns (${names.join(', ')})`);
  return names.map((key): ColumnBody => {
    const typed = wanted.get(key);
    return { key, header: key, ...(typed ? { type: typed.type, ...(typed.currency ? { currency: typed.currency } : {}) } : {}) };
  });
}

function csvHeader(data: Buffer): string[] {
  const [header] = parse(data, { bom: true, to_line: 1, relax_column_count: true }) as string[][];
  if (!header || header.length === 0) throw badInput('--types: the CSV has no header row');
  return header.map((name, i) => (name.trim() === '' ? `column ${i + 1}` : name));
}

function firstJsonKeys(data: Buffer): string[] {
  const line = data.toString('utf8').replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '');
  let first: unknown;
  try {
    first = line === undefined ? undefined : JSON.parse(line);
  } catch (err) {
    throw badInput(`--types: the first line is not JSON: ${(err as Error).message}`);
  }
  if (typeof first !== 'object' || first === null || Array.isArray(first)) throw badInput('--types: the first line must be a JSON object');
  return Object.keys(first);
}
