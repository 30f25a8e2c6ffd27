/**
 * The HTTP API as the CLI uses it (docs/api.md): ARTIFACTS_URL (default
 * http://localhost:8080) with `Authorization: Bearer $ARTIFACTS_TOKEN` when set. Never talks
 * to Redis or the bus. Problem details (RFC 9457) become PipelineErrors carrying the
 * problem's `code`; retriable for 408/429/5xx, as errors.ts classifies HTTP statuses.
 */
import type { Env } from '@artifact-pipeline/shared';
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared/errors';
import type { ApiJob, JobList, UploadPlan } from './api-types.js';

export const DEFAULT_API_URL = 'http://localhost:8080';
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

export interface ApiClientOptions {
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

export interface ApiClient {
  readonly baseUrl: string;
  createZipJob(body: Record<string, unknown>): Promise<ApiJob>;
  createReport(body: Record<string, unknown>): Promise<ApiJob>;
  createUploads(body: { files: Array<{ name: string; size?: number; contentType?: string }>; batch?: string }): Promise<UploadPlan>;
  getJob(id: string): Promise<ApiJob>;
  listJobs(query: { status?: string; limit?: number; cursor?: string }): Promise<JobList>;
  /** The presigned URL GET /v1/jobs/{id}/download redirects to (not followed). */
  downloadUrl(id: string): Promise<string>;
  /** Opens GET /v1/jobs/{id}/events (SSE); `lastEventId` resumes after that version. */
  openEvents(id: string, lastEventId: number | undefined, signal?: AbortSignal): Promise<Response>;
  /** Absolute URL of an API-relative link such as `/v1/jobs/{id}/download`. */
  resolve(link: string): string;
}

export function apiClientFromEnv(env: Env, fetchImpl: typeof fetch = fetch): ApiClient {
  const token = env.ARTIFACTS_TOKEN;
  return createApiClient({ baseUrl: env.ARTIFACTS_URL || DEFAULT_API_URL, ...(token ? { token } : {}), fetch: fetchImpl });
}

export function createApiClient({ baseUrl, token, fetch: fetchImpl = fetch }: ApiClientOptions): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

  async function call(method: string, path: string, body?: unknown, extra: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...extra });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new PipelineError(`cannot reach the API at ${base} (set ARTIFACTS_URL): ${causeOf(err)}`, {
        code: ErrorCode.UNAVAILABLE,
        retriable: true,
        cause: err,
      });
    }
    if (res.status >= 400) throw await problemError(res);
    return res;
  }
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await (await call(method, path, body)).json()) as T;

  return {
    baseUrl: base,
    createZipJob: (body) => json('POST', '/v1/zip-jobs', body),
    createReport: (body) => json('POST', '/v1/reports', body),
    createUploads: (body) => json('POST', '/v1/uploads', body),
    getJob: (id) => json('GET', `/v1/jobs/${encodeURIComponent(id)}`),
    listJobs(query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      const qs = params.toString();
      return json('GET', `/v1/jobs${qs ? `?${qs}` : ''}`);
    },
    async downloadUrl(id) {
      const res = await call('GET', `/v1/jobs/${encodeURIComponent(id)}/download`, undefined, { redirect: 'manual' });
      const location = res.headers.get('location');
      await res.body?.cancel();
      if (location === null) throw new PipelineError(`download: the API answered ${res.status} without a Location`, { code: ErrorCode.INTERNAL, retriable: false });
      return new URL(location, `${base}/`).href;
    },
    openEvents(id, lastEventId, signal) {
      const headers = { accept: 'text/event-stream', ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}) };
      return call('GET', `/v1/jobs/${encodeURIComponent(id)}/events`, undefined, { headers: { ...auth, ...headers }, ...(signal ? { signal } : {}) });
    },
    resolve: (link) => new URL(link, `${base}/`).href,
  };
}

async function problemError(res: Response): Promise<PipelineError> {
  const text = await res.text().catch(() => '');
  let problem: { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown } = {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    // not JSON (a proxy's page): the status line says enough
  }
  const code = typeof problem.code === 'string' ? problem.code : `HTTP_${res.status}`;
  const fields = Array.isArray(problem.errors)
    ? (problem.errors as Array<{ path?: string; message?: string }>).map((e) => `${e.path ?? ''}: ${e.message ?? ''}`)
    : [];
  const detail = [typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : res.statusText, ...fields];
  return new PipelineError(`${res.status} ${detail.filter(Boolean).join('; ')}`, {
    code,
    retriable: TRANSIENT.has(res.status),
    context: { status: res.status },
  });
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
