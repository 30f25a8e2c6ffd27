/**
 * The bearer-token middleware ingest and status mount before their /v1 routes. It sets
 * `ctx.state.principal = {owner, admin}` (docs/auth.md) or answers 401 problem+json with a
 * `WWW-Authenticate: Bearer` challenge (RFC 6750 §3): no token, a forged or expired one.
 *
 * AUTH_MODE=none: every request is the fixed owner `local` with admin rights — for the
 * all-in-one local mode only; announced with a warning once, when the middleware is made.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../logger.js';
import { createTokenVerifier, unauthorized, type Principal, type TokenVerifier } from './auth-verify.js';
import type { HttpContext, HttpMiddleware, HttpState } from './router.js';

export type { Principal, TokenVerifier } from './auth-verify.js';
export { createTokenVerifier, scopesOf } from './auth-verify.js';

/** The owner every request acts as under AUTH_MODE=none. */
export const LOCAL_OWNER = 'local';

/** RFC 6750 §3: the realm named in every challenge. */
const REALM = 'artifact-pipeline';

export interface AuthState extends HttpState {
  principal: Principal;
}

export interface BearerAuthOptions {
  auth: Config['auth'];
  logger: Logger;
  /** Replaces the verifier built from `auth` (tests, other issuers). */
  verifier?: TokenVerifier;
}

export function bearerAuth({ auth, logger, verifier }: BearerAuthOptions): HttpMiddleware {
  if (auth.mode === 'none') {
    logger.warn(
      { authMode: 'none', owner: LOCAL_OWNER },
      'AUTH_MODE=none: every request is owner "local" with admin rights, no token checked. For local use only.',
    );
    const principal: Principal = Object.freeze({ owner: LOCAL_OWNER, admin: true });
    return async (ctx, next) => {
      (ctx.state as AuthState).principal = principal;
      await next();
    };
  }
  const verify =
    verifier ??
    createTokenVerifier({
      ...(auth.jwtSecret !== undefined ? { jwtSecret: auth.jwtSecret } : {}),
      ...(auth.jwksUrl !== undefined ? { jwksUrl: auth.jwksUrl } : {}),
      ...(auth.maxTokenLifetimeSeconds !== undefined ? { maxLifetimeSeconds: auth.maxTokenLifetimeSeconds } : {}),
    });
  return async (ctx, next) => {
    const token = bearerToken(ctx);
    let principal: Principal;
    try {
      principal = await verify(token);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'UNAUTHORIZED') challenge(ctx, 'invalid_token', (err as Error).message);
      throw err;
    }
    (ctx.state as AuthState).principal = principal;
    await next();
  };
}

/** The caller established by bearerAuth; 401 when no auth middleware ran before. */
export function principalOf(ctx: HttpContext): Principal {
  const principal = (ctx.state as Partial<AuthState>).principal;
  if (principal === undefined) throw unauthorized('a bearer token is required');
  return principal;
}

function bearerToken(ctx: HttpContext): string {
  const header = ctx.get('authorization');
  if (header === '') {
    challenge(ctx);
    throw unauthorized('a bearer token is required (Authorization: Bearer <token>)');
  }
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (!match) {
    challenge(ctx, 'invalid_request', 'the Authorization header must be "Bearer <token>"');
    throw unauthorized('the Authorization header must be "Bearer <token>"');
  }
  return match[1]!;
}

/** RFC 6750 §3: no error attribute when the request carried no credentials at all. */
function challenge(ctx: HttpContext, error?: string, description?: string): void {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, "'")}"`);
  ctx.set('WWW-Authenticate', `Bearer ${parts.join(', ')}`);
}
