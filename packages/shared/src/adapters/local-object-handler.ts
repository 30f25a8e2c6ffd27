import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, isPipelineError } from '../errors.js';
import { parseRange } from './local-object-range.js';
import { createLocalObjectStore, type LocalObjectStore, type LocalObjectStoreOptions } from './local-object-store.js';

/**
 * Serves the local store's presigned URLs, as S3 serves its own: GET (and HEAD) with
 * Content-Length, Content-Type, Content-Disposition, ETag and single-range requests; PUT
 * stores the request body. A bad signature or an expired URL gets 403 with a short text.
 * Plain node:http, so it mounts in front of any server (koa included):
 *
 *   http.createServer((req, res) => handler(req, res) || app(req, res))
 */
export type LocalObjectHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createLocalObjectHandler(source: LocalObjectStore | LocalObjectStoreOptions): LocalObjectHandler {
  const store = 'signer' in source ? source : createLocalObjectStore(source);
  const mount = store.signer.mountPath;
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    // the raw path, not new URL(): URL parsing would resolve `..` before the key is checked
    const path = q === -1 ? url : url.slice(0, q);
    if (!path.startsWith(mount)) return false;
    const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    serve(store, req, res, path.slice(mount.length), query).catch((err: unknown) => fail(res, err));
    return true;
  };
}

async function serve(
  store: LocalObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  query: URLSearchParams,
): Promise<void> {
  let segments: string[];
  try {
    segments = rest.split('/').map(decodeURIComponent);
  } catch {
    return text(res, 400, 'malformed path');
  }
  const [bucket = '', ...keyParts] = segments;
  const key = keyParts.join('/');
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (method !== 'GET' && method !== 'PUT') {
    res.setHeader('Allow', 'GET, HEAD, PUT');
    return text(res, 405, 'method not allowed');
  }
  const verdict = store.signer.verify(method, bucket, key, query);
  if (!verdict.ok) return text(res, 403, verdict.reason);

  if (method === 'PUT') {
    const sent = req.headers['content-type'];
    const signed = verdict.params.contentType;
    if (signed !== undefined && sent !== signed) return text(res, 403, 'content type does not match the signed one');
    const contentType = signed ?? sent;
    const { etag } = await store.put(bucket, key, req, contentType === undefined ? {} : { contentType });
    res.writeHead(200, { ETag: `"${etag ?? ''}"`, 'Content-Length': 0 });
    res.end();
    return;
  }

  const handle = await store.open(bucket, key);
  if (handle === undefined) return text(res, 404, 'no such object');
  const { info } = handle;
  const range = parseRange(req.headers.range, info.size);
  if (range.kind === 'unsatisfiable') {
    await handle.close();
    res.setHeader('Content-Range', `bytes */${info.size}`);
    return text(res, 416, 'range not satisfiable');
  }
  const disposition = verdict.params.disposition ?? info.contentDisposition;
  res.statusCode = range.kind === 'partial' ? 206 : 200;
  res.setHeader('Content-Type', info.contentType ?? 'application/octet-stream');
  res.setHeader('Accept-Ranges', 'bytes');
  if (disposition !== undefined) res.setHeader('Content-Disposition', disposition);
  if (info.etag !== undefined) res.setHeader('ETag', `"${info.etag}"`);
  if (info.lastModified !== undefined) res.setHeader('Last-Modified', info.lastModified.toUTCString());
  if (range.kind === 'partial') {
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
    res.setHeader('Content-Length', range.end - range.start + 1);
  } else {
    res.setHeader('Content-Length', info.size);
  }
  if (req.method === 'HEAD' || info.size === 0) {
    await handle.close();
    res.end();
    return;
  }
  await pipeline(handle.read(range.kind === 'partial' ? range : undefined), res);
}

const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.SOURCE_NOT_FOUND]: 404,
  [ErrorCode.INVALID_INPUT]: 400,
  [ErrorCode.ACCESS_DENIED]: 403,
};

function fail(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    // mid-body: the only honest signal left is a cut connection
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  const status = isPipelineError(err) ? (STATUS_BY_CODE[err.code] ?? 500) : 500;
  text(res, status, status === 500 ? 'internal error' : (err as Error).message);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
