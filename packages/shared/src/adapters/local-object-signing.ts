import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Presigned URLs for the local store, the local stand-in for SigV4 query signing:
 *
 *   <publicBaseUrl>/local-objects/<bucket>/<key>?expires=<unix s>[&disposition=…][&content-type=…]&signature=<hex>
 *
 * `signature` is HMAC-SHA256 (hex) with the store's secret over the lines
 * `method, bucket, key, expires, disposition, content-type` joined by "\n" (absent = empty),
 * so a URL signed for GET cannot PUT, and none of its parts can be changed.
 */
export const LOCAL_OBJECTS_PATH = 'local-objects';

export type PresignedMethod = 'GET' | 'PUT';

export interface SignedParams {
  expires: number;
  disposition?: string;
  contentType?: string;
}

export type Verdict = { ok: true; params: SignedParams } | { ok: false; reason: 'invalid signature' | 'expired' };

export interface LocalUrlSigner {
  /** Where the handler is mounted: the base URL's path + `/local-objects/`. */
  readonly mountPath: string;
  sign(method: PresignedMethod, bucket: string, key: string, params: SignedParams): string;
  verify(method: PresignedMethod, bucket: string, key: string, query: URLSearchParams): Verdict;
}

export function createLocalUrlSigner({
  publicBaseUrl,
  signingSecret,
  clock,
}: {
  publicBaseUrl: string;
  signingSecret: string;
  /** Now, in ms since the epoch. */
  clock: () => number;
}): LocalUrlSigner {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const mountPath = `${new URL(base).pathname.replace(/\/+$/, '')}/${LOCAL_OBJECTS_PATH}/`;

  const mac = (method: string, bucket: string, key: string, p: SignedParams): string =>
    createHmac('sha256', signingSecret)
      .update([method, bucket, key, String(p.expires), p.disposition ?? '', p.contentType ?? ''].join('\n'))
      .digest('hex');

  return {
    mountPath,
    sign(method, bucket, key, params) {
      const path = [bucket, ...key.split('/')].map(encodeURIComponent).join('/');
      const query = new URLSearchParams({ expires: String(params.expires) });
      if (params.disposition !== undefined) query.set('disposition', params.disposition);
      if (params.contentType !== undefined) query.set('content-type', params.contentType);
      query.set('signature', mac(method, bucket, key, params));
      return `${base}/${LOCAL_OBJECTS_PATH}/${path}?${query.toString()}`;
    },
    verify(method, bucket, key, query) {
      const expires = Number(query.get('expires'));
      const disposition = query.get('disposition');
      const contentType = query.get('content-type');
      const params: SignedParams = {
        expires,
        ...(disposition === null ? {} : { disposition }),
        ...(contentType === null ? {} : { contentType }),
      };
      const given = Buffer.from(query.get('signature') ?? '', 'hex');
      const expected = Buffer.from(mac(method, bucket, key, params), 'hex');
      if (!Number.isInteger(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'invalid signature' };
      }
      // Checked after the signature, so an attacker learns nothing from "expired".
      if (clock() >= expires * 1000) return { ok: false, reason: 'expired' };
      return { ok: true, params };
    },
  };
}
