import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry } from 'prom-client';
import { createMetrics } from './metrics.js';
import { TelemetryNames } from './names.js';

const names = suite('TelemetryNames');

names('every metric name is ap_-prefixed, unique, snake_case, and counters end in _total', () => {
  const defs = Object.values(TelemetryNames.metrics);
  const all = defs.map((d) => d.name);
  assert.is(new Set(all).size, all.length);
  for (const d of defs) {
    assert.match(d.name, /^ap_[a-z0-9_]+$/);
    if (d.kind === 'counter') assert.match(d.name, /_total$/, d.name);
    for (const label of d.labels) assert.ok(Object.values(TelemetryNames.labels).includes(label), `${d.name}: ${label}`);
  }
});

names('job durations are bucketed up to an hour', () => {
  assert.is(Math.max(...TelemetryNames.metrics.jobDurationSeconds.buckets), 3600);
});

names.run();

const metrics = suite('createMetrics');

metrics('is a function returning a registry and one instrument per name', () => {
  assert.type(createMetrics, 'function');
  const m = createMetrics({ service: 'shape', defaultMetrics: false });
  assert.instance(m.registry, Registry);
  for (const key of Object.keys(TelemetryNames.metrics)) assert.ok(key in m, key);
});

metrics('what services record shows up in the exposition text under our names', async () => {
  const m = createMetrics({ service: 'zipper', defaultMetrics: false });
  m.jobsTotal.inc({ type: 'zip', outcome: TelemetryNames.outcomes.job.completed });
  m.jobDurationSeconds.observe({ type: 'zip' }, 1800);
  m.busMessagesTotal.inc({ topic: 'artifacts.commands.zip', outcome: TelemetryNames.outcomes.bus.deadLettered });
  m.zipBytesInTotal.inc(1024);
  m.sseStreamsOpen.inc();
  const text = await m.registry.metrics();
  assert.match(text, 'ap_jobs_total{type="zip",outcome="completed"} 1');
  assert.match(text, 'ap_job_duration_seconds_bucket{le="3600",type="zip"} 1');
  assert.match(text, 'ap_job_duration_seconds_bucket{le="1200",type="zip"} 0');
  assert.match(text, 'ap_bus_messages_total{topic="artifacts.commands.zip",outcome="dead_lettered"} 1');
  assert.match(text, 'ap_zip_bytes_in_total 1024');
  assert.match(text, 'ap_sse_streams_open 1');
});

metrics('default metrics carry the service label', async () => {
  const m = createMetrics({ service: 'reporter' });
  const text = await m.registry.metrics();
  assert.match(text, /process_resident_memory_bytes\{service="reporter"\} \d+/);
});

metrics('two services can share one registry (all-in-one mode)', async () => {
  const registry = new Registry();
  const ingest = createMetrics({ service: 'ingest', registry });
  const status = createMetrics({ service: 'status', registry });
  ingest.httpRequestsTotal.inc({ route: '/v1/zip-jobs', method: 'POST', status: '202' });
  status.httpRequestsTotal.inc({ route: '/v1/jobs/:id', method: 'GET', status: '200' });
  const text = await registry.metrics();
  assert.match(text, 'route="/v1/zip-jobs"');
  assert.match(text, 'route="/v1/jobs/:id"');
  assert.is(text.match(/^# TYPE ap_http_requests_total counter$/gm)?.length, 1);
});

metrics.run();
