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

/**
 * Where each variable lands in the Config object, found by the loader itself: the config of
 * a base environment is compared with the config after one variable is changed to `sample`;
 * the leaves that differ are that variable's (e.g. ARTIFACTS_BUCKET → s3.artifactsBucket).
 */
export function configPathsOf(
  load: (env: Record<string, string>) => unknown,
  base: Record<string, string>,
  samples: Record<string, string>,
): Map<string, string[]> {
  const leaves = (value: unknown, at: string, out: Map<string, string>): Map<string, string> => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) leaves(inner, at ? `${at}.${key}` : key, out);
    } else {
      out.set(at, JSON.stringify(value));
    }
    return out;
  };
  const before = leaves(load(base), '', new Map());
  const paths = new Map<string, string[]>();
  for (const [name, sample] of Object.entries(samples)) {
    const after = leaves(load({ ...base, [name]: sample }), '', new Map());
    paths.set(name, [...after].filter(([at, value]) => before.get(at) !== value).map(([at]) => at));
  }
  return paths;
}

/** `config.<section>` and `config.<section>.<field>` reads in TypeScript source (a bare section = all of it). */
export function configReadsIn(source: string): Set<string> {
  const reads = new Set<string>();
  for (const match of source.matchAll(/\bconfig\??\.([a-z][a-zA-Z0-9]*)(?:\??\.([a-zA-Z][a-zA-Z0-9]*))?/g)) {
    reads.add(match[2] ? `${match[1]}.${match[2]}` : match[1]!);
  }
  return reads;
}

/** The top-level functions of a source file, by name (a rough split at each `function name(`). */
export function functionsOf(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const starts = [...source.matchAll(/^(?:export )?(?:async )?function (\w+)/gm)];
  starts.forEach((match, i) => out.set(match[1]!, source.slice(match.index, starts[i + 1]?.index ?? source.length)));
  return out;
}

/** The shared code a service runs that reads the config: the functions it reaches by name. */
export const SHARED_CONFIG_READERS = ['packages/shared/src/wiring.ts', 'packages/shared/src/source-policy.ts', 'packages/shared/src/worker/worker-main.ts', 'packages/shared/src/worker/worker-service.ts'];

/** What `service` reads of the config: its own sources plus the shared functions reachable from them. */
export function configReadsOf(repoRoot: string, service: string): Set<string> {
  const own = fs.readdirSync(path.join(repoRoot, 'services', service, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !/test-support|for-tests/.test(f))
    .map((f) => fs.readFileSync(path.join(repoRoot, 'services', service, 'src', f), 'utf8'));
  const shared = new Map<string, string>();
  for (const file of SHARED_CONFIG_READERS) for (const [name, body] of functionsOf(fs.readFileSync(path.join(repoRoot, file), 'utf8'))) shared.set(name, body);
  const reached: string[] = [];
  const pending = [...own];
  while (pending.length > 0) {
    const text = pending.pop()!;
    for (const [name, body] of shared) {
      if (reached.includes(name) || !new RegExp(`\\b${name}\\b`).test(text)) continue;
      reached.push(name);
      pending.push(body);
    }
  }
  const reads = new Set<string>();
  for (const text of [...own, ...reached.map((name) => shared.get(name)!)]) for (const read of configReadsIn(text)) reads.add(read);
  return reads;
}

/** The variables a service needs: those whose config path it reads (or whose whole section). */
export function variablesNeeded(reads: Set<string>, paths: Map<string, string[]>): Set<string> {
  const needed = new Set<string>();
  for (const [name, at] of paths) {
    if (at.some((p) => reads.has(p) || reads.has(p.split('.')[0]!))) needed.add(name);
  }
  return needed;
}
