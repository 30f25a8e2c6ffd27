/**
 * The environment variables the services' config reads, taken from its source
 * (packages/shared/src/config): every `read.<kind>('NAME'` call. The config exports no list
 * of its variables, so its source is the one place that knows them.
 */
import fs from 'node:fs';
import path from 'node:path';

const READ_CALL = /\bread\.(?:raw|string|integer|boolean|oneOf|url|list)\(\s*'([A-Z][A-Z0-9_]*)'/g;

/** The variable names read by the given TypeScript sources. */
export function variablesReadBy(sources: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const source of sources) for (const match of source.matchAll(READ_CALL)) names.add(match[1]!);
  return names;
}

/** The variables of packages/shared/src/config (tests excluded). */
export function configVariables(repoRoot: string): Set<string> {
  const dir = path.join(repoRoot, 'packages', 'shared', 'src', 'config');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support'));
  return variablesReadBy(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** OTEL_* belong to the OpenTelemetry SDK, which reads them itself (DESIGN §8). */
export const sdkVariable = (name: string): boolean => name.startsWith('OTEL_');

export interface EnvDifference {
  /** Read by the config but never set by the chart: unreachable from values. */
  missing: string[];
  /** Set by the chart but read by nobody: a typo or a stale name. */
  unknown: string[];
}

export function compareEnv(chart: Iterable<string>, config: Set<string>): EnvDifference {
  const set = new Set([...chart].filter((name) => !sdkVariable(name)));
  return {
    missing: [...config].filter((name) => !set.has(name)).sort(),
    unknown: [...set].filter((name) => !config.has(name)).sort(),
  };
}
