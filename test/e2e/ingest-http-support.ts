/**
 * Serves ingest's callback on a loopback port for e2e tests and signs their tokens.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Bus, type JobStore, type ObjectStore } from '@artifact-pipeline/shared';
import { issueToken } from '@artifact-pipeline/shared/http/auth-token';
import { createMetrics, type Metrics } from '@artifact-pipeline/shared/telemetry/metrics';
import { createIngestService, type IngestServiceDeps } from '../../services/ingest/src/ingest-service.js';

export const TEST_SECRET = 'e2e-secret-that-is-at-least-32-characters';
export const ARTIFACTS_BUCKET = 'artifacts-e2e';

export interface RunningIngest {
  base: string;
  metrics: Metrics;
  token(owner: string, scopes?: string[]): Promise<string>;
  post(path: string, body: unknown, options?: { token?: string | null; headers?: Record<string, string>; raw?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startIngest(
  parts: { bus: Bus; jobs: JobStore; objects?: ObjectStore } & Partial<Omit<IngestServiceDeps, 'bus' | 'jobs' | 'objects'>>,
): Promise<RunningIngest> {
  const metrics = createMetrics({ service: 'ingest-e2e', defaultMetrics: false });
  const service = createIngestService({
    config: {
      s3: { artifactsBucket: ARTIFACTS_BUCKET, uploadsBucket: ARTIFACTS_BUCKET, allowedSourceBuckets: ['shared-e2e'], forcePathStyle: true, downloadUrlTtlSeconds: 3600, notificationsQueue: undefined },
      auth: { mode: 'jwt', jwtSecret: TEST_SECRET, jwksUrl: undefined, usersFile: undefined },
    },
    logger: silentLogger(),
    metrics,
    objects: parts.objects ?? (undefined as unknown as ObjectStore),
    publishRetry: { attempts: 2, baseMs: 5, maxMs: 10 },
    ...parts,
  });
  const server: Server = createServer(service.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = (owner: string, scopes?: string[]) => issueToken({ secret: TEST_SECRET, subject: owner, ...(scopes ? { scopes } : {}) });
  const defaultToken = await token('team-a');
  return {
    base,
    metrics,
    token,
    async post(path, body, options = {}) {
      const auth: Record<string, string> = options.token === null ? {} : { authorization: `Bearer ${options.token ?? defaultToken}` };
      return fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...options.headers },
        body: options.raw ?? JSON.stringify(body),
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
