/**
 * POST /v1/uploads: presigned PUT URLs into the caller's inbox, `inbox/{owner}/{batch}/`
 * of ARTIFACTS_BUCKET, and the URL of the `_READY` marker whose upload starts the zip —
 * the layout of the default INGEST_RULES (DESIGN §7). The URLs expire after an hour.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, PipelineError, type ObjectStore } from '@artifact-pipeline/shared';
import { principalOf } from '@artifact-pipeline/shared/http/auth';
import { jsonBody } from '@artifact-pipeline/shared/http/json-body';
import { createRouter, type HttpRouter } from '@artifact-pipeline/shared/http/router';
import { BODY_LIMITS, MAX_KEY_BYTES, UploadsBody } from './http-bodies.js';
import { checkBytes, invalidFields, validateBody } from './http-validate.js';

/** Lifetime of the presigned PUT URLs, in seconds (1 hour). */
export const UPLOAD_URL_TTL_SECONDS = 3600;
/** The marker file of the default `inbox/{owner}/{batch}/_READY` rule. */
export const READY_MARKER = '_READY';

export interface UploadRoutesDeps {
  objects: ObjectStore;
  /** UPLOADS_BUCKET (ARTIFACTS_BUCKET unless set). */
  bucket: string;
  clock?: () => Date;
}

export function uploadRoutes({ objects, bucket, clock = () => new Date() }: UploadRoutesDeps): HttpRouter {
  const router = createRouter();
  router.post('/v1/uploads', jsonBody({ limitBytes: BODY_LIMITS.uploads }), async (ctx) => {
    const body = validateBody(UploadsBody, ctx.request.body);
    const { owner } = principalOf(ctx);
    if (owner.includes('/')) {
      // The owner is one segment of the inbox key: the default rule could not read it back.
      throw new PipelineError('owners with "/" in their name cannot use the upload inbox', { code: ErrorCode.INVALID_INPUT, retriable: false });
    }
    const batch = body.batch ?? randomUUID();
    const prefix = `inbox/${owner}/${batch}/`;
    const seen = new Set<string>();
    const problems = body.files.flatMap((f, i) => {
      if (f.name === READY_MARKER) return [{ path: `files[${i}].name`, message: `${READY_MARKER} is the marker, not a file` }];
      if (seen.has(f.name)) return [{ path: `files[${i}].name`, message: 'is given twice' }];
      seen.add(f.name);
      return [];
    });
    if (problems.length > 0) throw invalidFields(problems);
    checkBytes(body.files.map((f, i) => [`files[${i}].name`, `${prefix}${f.name}`, MAX_KEY_BYTES] as [string, string, number]));

    const expiresAt = new Date(clock().getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
    const presign = (key: string, contentType?: string) =>
      objects.presignPut(bucket, key, { expiresInSeconds: UPLOAD_URL_TTL_SECONDS, ...(contentType ? { contentType } : {}) });
    const files = await Promise.all(
      body.files.map(async (f) => {
        const key = `${prefix}${f.name}`;
        const headers = f.contentType ? { 'Content-Type': f.contentType } : {};
        return { name: f.name, key, method: 'PUT' as const, url: await presign(key, f.contentType), headers };
      }),
    );
    const markerKey = `${prefix}${READY_MARKER}`;
    ctx.status = 200;
    ctx.body = {
      bucket,
      batch,
      prefix,
      files,
      marker: { key: markerKey, method: 'PUT', url: await presign(markerKey) },
      expiresAt,
    };
  });
  return router;
}
