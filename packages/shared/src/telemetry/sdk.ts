/**
 * Starts the OpenTelemetry Node SDK for one service process. Traces only: metrics are
 * Prometheus (prom-client, GET /metrics) and logs are pino JSON lines on stdout, so the SDK's
 * metric readers and log processors are switched off and OTEL_METRICS_EXPORTER /
 * OTEL_LOGS_EXPORTER are not consulted.
 *
 * Everything else comes from the standard variables, read by the SDK itself:
 * OTEL_SDK_DISABLED, OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (they win over the
 * `service` / `version` given here), OTEL_TRACES_EXPORTER (otlp by default; none, console),
 * OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL, OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS
 * (default tracecontext,baggage), OTEL_BSP_*, OTEL_LOG_LEVEL. The SDK registers the
 * AsyncLocalStorage context manager. No auto-instrumentation: HTTP server spans come from
 * http/request-telemetry.ts, bus spans from propagation.ts.
 */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { NodeSDK, resources } from '@opentelemetry/sdk-node';
import type { Logger } from '../logger.js';

export { createTestTracing, type TestTracing } from './test-tracing.js';

export interface StartTelemetryOptions {
  /** service.name unless OTEL_SERVICE_NAME says otherwise. */
  service: string;
  /** service.version, e.g. the package version. */
  version?: string;
  /** Where the SDK's own warnings and errors (exporter failures) go. Default: nowhere. */
  logger?: Logger;
}

export interface Telemetry {
  /** Flushes spans still buffered (OTEL_BSP_EXPORT_TIMEOUT bounds it, default 30 s) and stops. */
  shutdown(): Promise<void>;
}

/** The namespace every service of the pipeline reports under (resource `service.namespace`). */
const SERVICE_NAMESPACE = 'artifact-pipeline';

export function startTelemetry({ service, version, logger }: StartTelemetryOptions): Telemetry {
  // Set before the SDK is built: OTEL_LOG_LEVEL, when set, makes the SDK replace this with
  // its console logger at that level (an explicit request to debug the SDK).
  if (logger !== undefined) diag.setLogger(diagLoggerFrom(logger), DiagLogLevel.WARN);

  const attributes: Record<string, string> = {
    'service.name': service,
    'service.namespace': SERVICE_NAMESPACE,
    ...(version !== undefined ? { 'service.version': version } : {}),
  };
  // The SDK merges the detected resource (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
  // process, host) over this one, so the environment wins.
  const resource = resources.defaultResource().merge(resources.resourceFromAttributes(attributes));
  const sdk = new NodeSDK({ resource, instrumentations: [], metricReaders: [], logRecordProcessors: [] });
  sdk.start();
  logger?.debug({ service, version }, 'telemetry started');

  let stopping: Promise<void> | undefined;
  return {
    shutdown() {
      stopping ??= sdk.shutdown().then(
        () => logger?.debug('telemetry stopped'),
        (err: unknown) => logger?.warn({ err }, 'telemetry shutdown failed; some spans may be lost'),
      );
      return stopping;
    },
  };
}

function diagLoggerFrom(logger: Logger): DiagLogger {
  const log = logger.child({ component: 'opentelemetry' });
  return {
    error: (message, ...args) => log.error({ args }, message),
    warn: (message, ...args) => log.warn({ args }, message),
    info: (message, ...args) => log.info({ args }, message),
    debug: (message, ...args) => log.debug({ args }, message),
    verbose: (message, ...args) => log.trace({ args }, message),
  };
}
