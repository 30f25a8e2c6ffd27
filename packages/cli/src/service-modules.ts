/**
 * The services local mode runs in one process, loaded at run time: from their TypeScript
 * sources when the CLI itself runs from source (tsx, `--conditions=source`), from their
 * built dist/ otherwise (`npm start` after `npm run build`). The services have no package
 * exports, so they are reached by path; the types come from the same files (tsconfig
 * references make `tsc -b` read their declarations).
 */
import type * as IngestService from '../../../services/ingest/src/ingest-service.js';
import type * as S3Object from '../../../services/ingest/src/s3-object.js';
import type * as S3Notifications from '../../../services/ingest/src/s3-notifications.js';
import type * as RulesMatch from '../../../services/ingest/src/rules-match.js';
import type * as StatusService from '../../../services/status/src/status-service.js';
import type * as ZipperService from '../../../services/zipper/src/zipper-service.js';
import type * as ReporterService from '../../../services/reporter/src/reporter-service.js';


const fromSource = import.meta.url.endsWith('.ts');

function moduleUrl(service: string, file: string): URL {
  const path = fromSource ? `src/${file}.ts` : `dist/${file}.js`;
  return new URL(`../../../services/${service}/${path}`, import.meta.url);
}

async function load<T>(service: string, file: string): Promise<T> {
  return (await import(moduleUrl(service, file).href)) as T;
}

export type ServiceModules = typeof IngestService &
  typeof S3Object &
  typeof S3Notifications &
  typeof RulesMatch &
  typeof StatusService &
  typeof ZipperService &
  Pick<typeof ReporterService, 'createReporterService'>;

export async function loadServiceModules(): Promise<ServiceModules> {
  const parts = await Promise.all([
    load<typeof IngestService>('ingest', 'ingest-service'),
    load<typeof S3Object>('ingest', 's3-object'),
    load<typeof S3Notifications>('ingest', 's3-notifications'),
    load<typeof RulesMatch>('ingest', 'rules-match'),
    load<typeof StatusService>('status', 'status-service'),
    load<typeof ZipperService>('zipper', 'zipper-service'),
    load<typeof ReporterService>('reporter', 'reporter-service'),
  ]);
  return Object.assign({}, ...parts) as ServiceModules;
}
