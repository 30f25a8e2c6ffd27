/**
 * The Grafana dashboard shows only metrics that exist: the services' (names.ts), KEDA's
 * (read from the pinned KEDA release's source), and Prometheus' own `up`; every metric the
 * services export has a panel; the namespace variable reads a series a fresh install has.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { TelemetryNames } from '@artifact-pipeline/shared/telemetry/names';
import { CRD_SOURCES, moduleDir } from './crd-schemas.mjs';
import { chartDir } from './ops-tools.js';
import { dashboardExpressions, exportedSeries, kedaMetricsIn, metricsIn } from './promql-metrics.js';

const ours = exportedSeries(Object.values(TelemetryNames.metrics));
/** The KEDA operator's metrics, from pkg/metricscollector of the release the chart's schemas come from. */
const kedaModule = CRD_SOURCES.find((s) => s.module.startsWith('github.com/kedacore/'))!.module;
const keda = kedaMetricsIn(fs.readFileSync(path.join(moduleDir(kedaModule), 'pkg', 'metricscollector', 'prommetrics.go'), 'utf8'));
/** Prometheus writes `up` for every target it scrapes, from the first scrape on. */
const exported = new Set([...ours, ...keda, 'up']);
const dashboardFile = path.join(chartDir, 'dashboards', 'artifact-pipeline.json');

/** Expressions naming a series the services do not export, as "where: name". */
function unknownMetrics(dashboard: unknown): string[] {
  return dashboardExpressions(dashboard).flatMap(({ where, expr }) =>
    metricsIn(expr.replace(/label_values\(([^,)]+)[^)]*\)/, '$1')).filter((m) => !exported.has(m)).map((m) => `${where}: ${m}`),
  );
}

const metrics = suite('metricsIn');

metrics('finds the series and skips functions, labels, ranges and keywords', () => {
  const expr = 'histogram_quantile(0.9, sum by (le, type) (rate(ap_job_duration_seconds_bucket{type="zip",x=~"a|b"}[5m]))) / on (x) ap_jobs_total';
  assert.equal(metricsIn(expr), ['ap_job_duration_seconds_bucket', 'ap_jobs_total']);
});

metrics('finds a bare metric and one after a number', () => {
  assert.equal(metricsIn('1 - up'), ['up']);
});

metrics.run();

const dashboard = suite('dashboard');

dashboard('is valid JSON with a uid and panels', () => {
  const parsed = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as { uid: string; panels: unknown[] };
  assert.is(parsed.uid, 'artifact-pipeline');
  assert.ok(parsed.panels.length >= 6);
});

dashboard('every expression uses only metrics from names.ts', () => {
  const parsed = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as unknown;
  assert.ok(dashboardExpressions(parsed).length >= 10);
  assert.equal(unknownMetrics(parsed), []);
});

dashboard('a panel on a metric nobody exports is reported', () => {
  const parsed = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as { panels: { targets: { expr: string }[] }[] };
  parsed.panels[0]!.targets[0]!.expr = 'sum(rate(ap_jobs_finished_total[5m]))';
  assert.equal(unknownMetrics(parsed), ['$.panels[0].targets[0].expr: ap_jobs_finished_total']);
});

dashboard('KEDA metric names are read from its source (and a made-up one is not there)', () => {
  for (const name of ['keda_scaler_metrics_value', 'keda_scaler_detail_errors_total', 'keda_scaled_object_errors_total']) assert.ok(keda.has(name), name);
  assert.not.ok(keda.has('keda_queue_lag'));
});

dashboard('a panel for every metric the services export', () => {
  const parsed = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as unknown;
  const used = new Set(dashboardExpressions(parsed).flatMap(({ expr }) => metricsIn(expr)));
  const missing = Object.values(TelemetryNames.metrics)
    .filter(({ kind, name }) => !(kind === 'histogram' ? ['_bucket', '_sum', '_count'].some((s) => used.has(name + s)) : used.has(name)))
    .map(({ name }) => name);
  assert.equal(missing, []);
});

dashboard('backlog panels read KEDA\'s trigger values', () => {
  const parsed = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const backlog = parsed.panels.find((p) => /backlog/i.test(p.title));
  assert.ok(backlog, 'a backlog panel');
  assert.ok(backlog!.targets.every((t) => metricsIn(t.expr).includes('keda_scaler_metrics_value')), 'it reads keda_scaler_metrics_value');
  assert.not.ok(parsed.panels.some((p) => /queue lag/i.test(p.title) && !p.targets.some((t) => /keda_/.test(t.expr))), 'no "queue lag" panel that is not queue lag');
});

dashboard('the namespace variable reads `up` of the chart\'s pods, which a fresh install has', () => {
  const parsed = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as { templating: { list: { name: string; query: { query: string } }[] } };
  const variable = parsed.templating.list.find((v) => v.name === 'namespace')!;
  assert.match(variable.query.query, /^label_values\(up\{app_kubernetes_io_name="artifact-pipeline"\}, namespace\)$/);
  // The label exists only because the monitors copy the pod label onto every series.
  const monitors = fs.readFileSync(path.join(chartDir, 'templates', 'monitors.yaml'), 'utf8');
  assert.is(monitors.match(/podTargetLabels: \[app\.kubernetes\.io\/name, app\.kubernetes\.io\/component\]/g)?.length, 2);
});

dashboard('covers outcomes, durations, bytes, bus, projection lag and HTTP', () => {
  const text = fs.readFileSync(dashboardFile, 'utf8');
  for (const name of [
    'ap_jobs_total', 'ap_job_duration_seconds_bucket', 'ap_zip_bytes_in_total', 'ap_bus_messages_total',
    'ap_bus_handler_duration_seconds_bucket', 'ap_projection_lag_seconds_bucket', 'ap_http_request_duration_seconds_bucket',
    'ap_http_requests_total',
  ]) {
    assert.ok(text.includes(name), name);
  }
});

dashboard.run();
