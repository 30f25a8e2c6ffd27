/**
 * The Grafana dashboard shows only metrics the services really export (names.ts), and
 * the panels the operations issue asks for are there.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { TelemetryNames } from '@artifact-pipeline/shared/telemetry/names';
import { chartDir } from './ops-tools.js';
import { dashboardExpressions, exportedSeries, metricsIn } from './promql-metrics.js';

const exported = exportedSeries(Object.values(TelemetryNames.metrics));
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
