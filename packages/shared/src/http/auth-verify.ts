/**
 * Bearer token verification (DESIGN §6 Auth) with jose: HS256 with AUTH_JWT_SECRET, RS256
 * with keys from AUTH_JWKS_URL (fetched and cached by jose's remote key set), or both — the
 * token's `alg` header picks. `sub` is the owner; a `scope` claim (space-separated string,
 * RFC 8693 §4.2, or an array, as some issuers send `scp`) containing `admin` makes an admin.
 *
 * A token that verified is remembered (the exact string, up to `cacheEntries` of them) for
 * `cacheSeconds` or until it expires, whichever is first, so a client polling with one token
 * pays for the signature check once, not per request. The cost: a key withdrawn from the
 * JWKS keeps accepting tokens already seen for up to `cacheSeconds`. Failures are not kept.
 *
 * Every token must expire, and soon enough: one without `exp` would be good until the
 * secret or key is rotated. Refused: no `exp`; `exp − iat` above `maxLifetimeSeconds`; and,
 * whether or not `iat` is there, `exp` further than `maxLifetimeSeconds` (+ tolerance) from
 * now — so a token cannot claim a recent `iat` to stretch its life.
 */
import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createBoundedMap } from '../bounded-map.js';
import { ErrorCode, PipelineError } from '../errors.js';

/** Who is asking: set by the auth middleware as `ctx.state.principal`. */
export interface Principal {
  /** The token's `sub`: the owner of the jobs this caller creates and sees. */
  owner: string;
  /** Scope `admin`: sees every owner's jobs. */
  admin: boolean;
}

export interface TokenVerifierOptions {
  /** AUTH_JWT_SECRET: HS256 key, at least 32 characters. */
  jwtSecret?: string;
  /** AUTH_JWKS_URL: RS256 public keys. */
  jwksUrl?: string;
  /** Tolerated clock difference for exp / nbf, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** How long a verified token is remembered, in s; 0 turns the memory off. Default 60. */
  cacheSeconds?: number;
  /** Most tokens remembered at once. Default 10,000. */
  cacheEntries?: number;
  /** AUTH_MAX_TOKEN_LIFETIME_SECONDS: the longest life a token may claim, in s. Default 86,400 (24 h). */
  maxLifetimeSeconds?: number;
  /** ms since the epoch. Default Date.now. */
  clock?: () => number;
}

/** Tokens may live at most this long unless configured otherwise: 24 h, in seconds. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

export type TokenVerifier = (token: string) => Promise<Principal>;

/** `sub` longer than this is refused: it becomes part of Redis keys (Owner schema, events). */
const MAX_OWNER_LENGTH = 256;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const {
    jwtSecret,
    jwksUrl,
    clockToleranceSeconds = 30,
    cacheSeconds = 60,
    cacheEntries = 10_000,
    maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
    clock = Date.now,
  } = options;
  if (jwtSecret === undefined && jwksUrl === undefined) {
    throw new PipelineError('token verification needs AUTH_JWT_SECRET or AUTH_JWKS_URL', { code: ErrorCode.INVALID_CONFIG, retriable: false });
  }
  // Imported once: handed raw bytes, jose imports a key on every verify, and that import was
  // most of the CPU a token check cost.
  const secret = jwtSecret !== undefined ? importHmacKey(jwtSecret) : undefined;
  const remote = jwksUrl !== undefined ? createRemoteJWKSet(new URL(jwksUrl)) : undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(remote ? ['RS256'] : [])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (header.alg === 'RS256' && remote) return remote(header, token);
    throw unauthorized(`tokens signed with ${header.alg ?? 'no algorithm'} are not accepted`);
  };
  const verified = createVerifiedTokens(cacheEntries);
  return async (token) => {
    const now = clock();
    const known = cacheSeconds > 0 ? verified.get(token, now) : undefined;
    if (known !== undefined) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, { algorithms, clockTolerance: clockToleranceSeconds, currentDate: new Date(now) }));
    } catch (err) {
      throw toUnauthorized(err);
    }
    checkLifetime(payload, now, maxLifetimeSeconds, clockToleranceSeconds);
    const owner = payload.sub;
    if (typeof owner !== 'string' || owner.length === 0 || owner.length > MAX_OWNER_LENGTH) {
      throw unauthorized(`the token's sub must name the owner (1-${MAX_OWNER_LENGTH} characters)`);
    }
    const principal: Principal = { owner, admin: scopesOf(payload).includes('admin') };
    if (cacheSeconds > 0) {
      verified.set(token, principal, Math.min(now + cacheSeconds * 1000, (payload.exp! + clockToleranceSeconds) * 1000));
    }
    return principal;
  };
}

/** Refuses a token that never expires or claims a life over `maxSeconds` (jose has checked the claims' types). */
function checkLifetime(payload: JWTPayload, nowMs: number, maxSeconds: number, toleranceSeconds: number): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') {
    throw unauthorized(`the token has no exp claim; tokens must expire within ${maxSeconds} s`);
  }
  if (typeof iat === 'number' && exp - iat > maxSeconds) {
    throw unauthorized(`the token's lifetime (exp - iat) is ${exp - iat} s; at most ${maxSeconds} s is accepted`);
  }
  const left = exp - Math.floor(nowMs / 1000);
  if (left > maxSeconds + toleranceSeconds) {
    throw unauthorized(`the token expires in ${left} s; at most ${maxSeconds} s is accepted`);
  }
}

/** Verified tokens until a deadline; the oldest is dropped first. */
function createVerifiedTokens(capacity: number) {
  const entries = createBoundedMap<string, { principal: Principal; untilMs: number }>(Math.max(1, capacity));
  return {
    get(token: string, nowMs: number): Principal | undefined {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (nowMs < entry.untilMs) return entry.principal;
      entries.delete(token);
      return undefined;
    },
    set: (token: string, principal: Principal, untilMs: number): void => entries.set(token, { principal, untilMs }),
  };
}

function importHmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  const key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  key.catch(() => undefined); // surfaced by the first verify that awaits it
  return key;
}

/** `scope` as a space-separated string or an array; `scp` as some issuers name it. */
export function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

export function unauthorized(message: string, cause?: unknown): PipelineError {
  return new PipelineError(message, { code: ErrorCode.UNAUTHORIZED, retriable: false, ...(cause !== undefined ? { cause } : {}) });
}

function toUnauthorized(err: unknown): PipelineError {
  if (err instanceof PipelineError) return err;
  if (err instanceof joseErrors.JWTExpired) return unauthorized('the token has expired', err);
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return unauthorized('the token signature is not valid', err);
  if (err instanceof joseErrors.JWTClaimValidationFailed) return unauthorized(`the token is not valid: ${err.message}`, err);
  if (err instanceof joseErrors.JWKSNoMatchingKey) return unauthorized('no published key matches the token', err);
  if (err instanceof joseErrors.JOSEError && !(err instanceof joseErrors.JWKSTimeout)) {
    return unauthorized('the token is malformed or not accepted', err);
  }
  // The key set could not be fetched: not the caller's fault.
  return new PipelineError('token keys are unavailable', { code: ErrorCode.UNAVAILABLE, retriable: true, cause: err });
}
