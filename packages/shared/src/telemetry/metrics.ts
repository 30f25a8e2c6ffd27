/**
 * The one module that turns TelemetryNames.metrics into prom-client instruments. Services
 * say what happened (`metrics.jobsTotal.inc({ type: 'zip', outcome: 'completed' })`) and
 * GET /metrics serves the registry (http/health-routes.ts).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TelemetryNames, type MetricDefinition, type MetricKey } from './names.js';

type Definitions = typeof TelemetryNames.metrics;
type LabelsOf<D> = D extends { labels: readonly (infer L)[] } ? (L extends string ? L : never) : never;
type InstrumentOf<D> = D extends { kind: 'counter' }
  ? Counter<LabelsOf<D>>
  : D extends { kind: 'histogram' }
    ? Histogram<LabelsOf<D>>
    : Gauge<LabelsOf<D>>;

/** Typed instruments, one per entry of TelemetryNames.metrics, plus the registry they live in. */
export type Metrics = {
  readonly registry: Registry;
  readonly service: string;
} & { readonly [K in MetricKey]: InstrumentOf<Definitions[K]> };

export interface CreateMetricsOptions {
  /** The service name, added as the `service` label of the default (process, nodejs) metrics. */
  service: string;
  /** Where to register. Default: a new Registry. Pass one to share it (all-in-one mode). */
  registry?: Registry;
  /** Collect prom-client's default process and Node.js metrics. Default true. */
  defaultMetrics?: boolean;
}

/** A metric every registry gets from collectDefaultMetrics; its presence means "already collected". */
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total';

export function createMetrics({ service, registry = new Registry(), defaultMetrics = true }: CreateMetricsOptions): Metrics {
  if (defaultMetrics && registry.getSingleMetric(DEFAULT_METRIC_PROBE) === undefined) {
    collectDefaultMetrics({ register: registry, labels: { [TelemetryNames.labels.service]: service } });
  }
  const instruments: Record<string, unknown> = {};
  for (const [key, definition] of Object.entries(TelemetryNames.metrics) as Array<[MetricKey, MetricDefinition]>) {
    instruments[key] = instrumentFor(registry, definition);
  }
  return Object.freeze({ ...instruments, registry, service }) as Metrics;
}

/**
 * Reuses an instrument already in the registry: two services mounted in one process
 * (all-in-one mode) share the registry, and prom-client refuses a second registration.
 */
function instrumentFor(registry: Registry, definition: MetricDefinition): unknown {
  const existing = registry.getSingleMetric(definition.name);
  if (existing !== undefined) return existing;
  const common = {
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labels] as string[],
    registers: [registry],
  };
  switch (definition.kind) {
    case 'counter':
      return new Counter(common);
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      return new Histogram({ ...common, buckets: [...definition.buckets] });
  }
}
