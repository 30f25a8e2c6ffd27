/**
 * The reporter (DESIGN §2): consumes `report.requested` from
 * `artifacts.commands.report` and renders each job with the shared job-worker lifecycle
 * (lease, job.started, throttled job.progressed, job.completed or job.failed). Built from its
 * dependencies only, so tests run it in process against any adapters; main.ts wires the
 * real ones.
 */
import { EventType, Topic, sourcePolicyOf, type Config } from '@artifact-pipeline/shared';
import { createWorkerService, type WorkerService, type WorkerServiceDeps } from '@artifact-pipeline/shared/worker/worker-service';
import { createReportBuild } from './report-job.js';

export const SERVICE = 'reporter';

export interface ReporterServiceDeps extends WorkerServiceDeps {
  /** INGEST_RULES and SOURCE_GRANTS shape the source policy (source-policy.ts); unset = the default areas only. */
  config: WorkerServiceDeps['config'] & Partial<Pick<Config, 'ingest' | 'sources'>>;
  /** XLSX data rows per sheet before a new sheet (tests lower it). */
  maxRowsPerSheet?: number;
}

export type ReporterService = WorkerService;

export function createReporterService(deps: ReporterServiceDeps): ReporterService {
  const { config, objects, metrics } = deps;
  const build = createReportBuild({
    objects,
    sourceCheck: { policy: sourcePolicyOf(config), jobs: deps.jobs },
    artifactsBucket: config.s3.artifactsBucket,
    downloadUrlTtlSeconds: config.s3.downloadUrlTtlSeconds,
    ...(deps.maxRowsPerSheet === undefined ? {} : { maxRowsPerSheet: deps.maxRowsPerSheet }),
    onReport: (report) => metrics?.reportRowsTotal.inc({ format: report.format }, report.rows),
  });
  return createWorkerService(deps, { service: SERVICE, topic: Topic.reportCommands, commandType: EventType.reportRequested, jobType: 'report', build });
}
