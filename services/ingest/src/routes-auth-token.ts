/**
 * POST /v1/auth/token: a user name and password (AUTH_USERS_FILE, scrypt) for an HS256
 * bearer token (docs/auth.md). Failures are counted per user name; past the limit the name
 * gets 429 TOO_MANY_ATTEMPTS with Retry-After until the window ends, right password or not.
 */
import { ErrorCode, PipelineError } from '@artifact-pipeline/shared';
import { DEFAULT_TOKEN_TTL_SECONDS, issueToken } from '@artifact-pipeline/shared/http/auth-token';
import type { LoginAttempts } from '@artifact-pipeline/shared/http/auth-login-attempts';
import type { UserDirectory } from '@artifact-pipeline/shared/http/auth-users';
import { jsonBody } from '@artifact-pipeline/shared/http/json-body';
import { createRouter, type HttpRouter } from '@artifact-pipeline/shared/http/router';
import { BODY_LIMITS, TokenBody } from './http-bodies.js';
import { IngestErrorCode } from './http-problems.js';
import { validateBody } from './http-validate.js';

export interface TokenRoutesDeps {
  /** Undefined when AUTH_USERS_FILE or AUTH_JWT_SECRET is not set: the route answers 501. */
  users: UserDirectory | undefined;
  jwtSecret: string | undefined;
  attempts: LoginAttempts;
  ttlSeconds?: number;
}

export function tokenRoutes({ users, jwtSecret, attempts, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS }: TokenRoutesDeps): HttpRouter {
  const router = createRouter();
  router.post('/v1/auth/token', jsonBody({ limitBytes: BODY_LIMITS.token }), async (ctx) => {
    if (users === undefined || jwtSecret === undefined) {
      throw new PipelineError('token issuing needs AUTH_USERS_FILE and AUTH_JWT_SECRET', { code: 'NOT_IMPLEMENTED', retriable: false });
    }
    const { username, password } = validateBody(TokenBody, ctx.request.body);
    const wait = await attempts.blockedFor(username);
    if (wait > 0) {
      throw new PipelineError(`too many failed logins for this user; try again in ${wait} s`, {
        code: IngestErrorCode.TOO_MANY_ATTEMPTS,
        retriable: true,
        context: { retryAfterSeconds: wait },
      });
    }
    const user = await users.authenticate(username, password);
    if (user === undefined) {
      await attempts.recordFailure(username);
      throw new PipelineError('unknown user name or wrong password', { code: ErrorCode.UNAUTHORIZED, retriable: false });
    }
    await attempts.reset(username);
    // RFC 6749 §5.1: token responses are never cached.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      access_token: await issueToken({ secret: jwtSecret, subject: user.username, scopes: user.scopes, ttlSeconds }),
      token_type: 'Bearer',
      expires_in: ttlSeconds,
    };
  });
  return router;
}
