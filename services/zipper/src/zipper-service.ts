/**
 * The zipper (DESIGN §2): consumes `zip.requested` from `artifacts.commands.zip`
 * and builds each job with the shared job-worker lifecycle. Built from its dependencies
 * only, so tests run it in process against any adapters; main.ts wires the real ones.
 */
import { EventType, Topic, sourcePolicyOf, type Config } from '@artifact-pipeline/shared';
import { createWorkerService, type WorkerService, type WorkerServiceDeps } from '@artifact-pipeline/shared/worker/worker-service';
import { createZipBuild } from './zip-job.js';

export const SERVICE = 'zipper';

export interface ZipperServiceDeps extends WorkerServiceDeps {
  /** INGEST_RULES and SOURCE_GRANTS shape the source policy (source-policy.ts); unset = the default areas only. */
  config: WorkerServiceDeps['config'] & Partial<Pick<Config, 'ingest' | 'sources'>>;
  /** Prefetch bounds; defaults 64 MiB and 8 objects ahead (prefetcher.ts). */
  prefetch?: { maxBytesAhead?: number; maxObjectsAhead?: number };
}

export type ZipperService = WorkerService;

export function createZipperService(deps: ZipperServiceDeps): ZipperService {
  const { config, objects, metrics } = deps;
  const build = createZipBuild({
    objects,
    sourceCheck: { policy: sourcePolicyOf(config), jobs: deps.jobs },
    artifactsBucket: config.s3.artifactsBucket,
    downloadUrlTtlSeconds: config.s3.downloadUrlTtlSeconds,
    ...(deps.prefetch ? { prefetch: deps.prefetch } : {}),
    onArchive: (archive) => {
      metrics?.zipBytesInTotal.inc(archive.bytesIn);
      metrics?.zipBytesOutTotal.inc(archive.size);
      metrics?.zipEntriesTotal.inc(archive.entries);
    },
  });
  return createWorkerService(deps, { service: SERVICE, topic: Topic.zipCommands, commandType: EventType.zipRequested, jobType: 'zip', build });
}
