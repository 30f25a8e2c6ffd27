/**
 * The metric names a PromQL expression selects, for checking dashboards against the
 * metrics the services export (packages/shared/src/telemetry/names.ts). Enough PromQL for
 * our panels: label matchers, `by`/`without` label lists, ranges, strings and numbers are
 * removed; an identifier followed by `(` is a function or aggregation; what is left names
 * a series.
 */

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

export function metricsIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*(\()?/g)) {
    const [, name, call] = match;
    if (call || KEYWORDS.has(name!) || /^\d/.test(name!)) continue;
    names.push(name!);
  }
  return names;
}

/** A histogram is queried through its _bucket, _sum and _count series. */
export function exportedSeries(metrics: readonly { kind: string; name: string }[]): Set<string> {
  const series = new Set<string>();
  for (const { kind, name } of metrics) {
    if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) series.add(name + suffix);
    else series.add(name);
  }
  return series;
}

/** Every PromQL expression of a Grafana dashboard: panel targets and query variables. */
export function dashboardExpressions(dashboard: unknown): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${where}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    // A datasource variable's `query` is a plugin type ("prometheus"), not PromQL.
    if ((node as { type?: unknown }).type === 'datasource') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'query') && typeof value === 'string') found.push({ where: `${where}.${key}`, expr: value });
      else walk(value, `${where}.${key}`);
    }
  };
  walk(dashboard, '$');
  return found;
}

/**
 * The metric names a KEDA release exports, from its pkg/metricscollector/prommetrics.go:
 * each prometheus option block's Namespace ("keda"), Subsystem and Name joined by "_".
 */
export function kedaMetricsIn(goSource: string): Set<string> {
  const names = new Set<string>();
  for (const block of goSource.matchAll(/Opts\{([^}]*)\}/g)) {
    const name = /\bName:\s*"([a-z_]+)"/.exec(block[1]!)?.[1];
    if (!name || !/\bNamespace:\s*DefaultPromMetricsNamespace/.test(block[1]!)) continue;
    const subsystem = /\bSubsystem:\s*"([a-z_]+)"/.exec(block[1]!)?.[1];
    names.add(['keda', subsystem, name].filter(Boolean).join('_'));
  }
  return names;
}
