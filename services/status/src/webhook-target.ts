/**
 * The allow-list for per-job webhooks (`notify.webhook` in the request): a job's owner
 * chooses the URL, so without a check status would make requests into its own network
 * (SSRF). https only unless WEBHOOK_ALLOW_HTTP; no loopback, private, link-local, CGNAT or
 * unspecified address unless WEBHOOK_ALLOW_PRIVATE — checked on every address the name
 * resolves to at delivery time (a name may point inside later). The operator's WEBHOOK_URL
 * is trusted as configured.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { badInput } from '@artifact-pipeline/shared';

export interface TargetPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
  /** Resolves a host name to its addresses. Default: the system resolver. */
  lookup?: (host: string) => Promise<string[]>;
}

const systemLookup = async (host: string): Promise<string[]> =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The URL when it may be called; INVALID_INPUT naming why not. */
export async function checkWebhookTarget(raw: string, { allowHttp, allowPrivate, lookup = systemLookup }: TargetPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('notify.webhook is not a URL', { field: 'notify.webhook' });
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw badInput(`notify.webhook must be https${allowHttp ? ' or http' : ''}`, { field: 'notify.webhook' });
  }
  if (url.username || url.password) throw badInput('notify.webhook must not carry credentials', { field: 'notify.webhook' });
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await lookup(host);
  const inside = addresses.find(isPrivateAddress);
  if (inside !== undefined || addresses.length === 0) {
    throw badInput(`notify.webhook resolves to a private or loopback address (${inside ?? 'none'})`, { field: 'notify.webhook' });
  }
  return url;
}

/** Loopback, RFC 1918, link-local, CGNAT (RFC 6598), unspecified, ULA (RFC 4193), mapped v4. */
export function isPrivateAddress(address: string): boolean {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (isIP(lower) === 4) {
    const [a, b] = lower.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower);
}
