/**
 * Argument parsing for every `artifacts` command (node:util parseArgs, strict): each command
 * declares its options, positionals and help text once; `--json` and `--help` are added to
 * all of them. A usage error is INVALID_INPUT, which main.ts turns into exit code 2.
 */
import { parseArgs } from 'node:util';
import { badInput } from '@artifact-pipeline/shared/errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** One line for --help, e.g. "output file (default: the artifact's name)". */
  help: string;
}

export interface CommandSpec {
  name: string;
  /** e.g. "artifacts zip s3://bucket/prefix/ [options]". */
  usage: string;
  summary: string;
  /** Exactly how many positionals the command takes: [min, max]. */
  positionals: [number, number];
  options: Record<string, OptionSpec>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  help: boolean;
}

const COMMON: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print one JSON document (for scripts) instead of text' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all = { ...spec.options, ...COMMON };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw badInput(`${spec.name}: ${(err as Error).message} (see artifacts ${spec.name} --help)`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const [min, max] = spec.positionals;
  if (!help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    throw badInput(`${spec.name}: expected ${min === max ? min : `${min} to ${max}`} argument(s); usage: ${spec.usage}`);
  }
  return { values, positionals: parsed.positionals, json: values.json === true, help };
}

export function helpText(spec: CommandSpec): string {
  const all = { ...spec.options, ...COMMON };
  const lines = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)} ${o.help}`;
  });
  return `usage: ${spec.usage}\n\n${spec.summary}\n\noptions:\n${lines.join('\n')}\n`;
}

/** A string option, or undefined; parseArgs already refused a missing value. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positive integer option (e.g. --limit), INVALID_INPUT otherwise. */
export function integerOption(args: ParsedArgs, name: string, max: number): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw badInput(`--${name}: expected an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}
