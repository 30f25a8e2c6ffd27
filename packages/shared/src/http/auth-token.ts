/**
 * Issues the HS256 tokens POST /v1/auth/token hands out (docs/auth.md): `sub` = user name,
 * `scope` = the user's scopes space-separated (RFC 8693 §4.2), `iat` and `exp`.
 */
import { SignJWT } from 'jose';

/** Token lifetime when none is given: 1 hour, in seconds. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

export interface IssueTokenOptions {
  /** AUTH_JWT_SECRET. */
  secret: string;
  subject: string;
  scopes?: readonly string[];
  ttlSeconds?: number;
  /** Default: now. */
  now?: Date;
}

export async function issueToken({ secret, subject, scopes = [], ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, now = new Date() }: IssueTokenOptions): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const claims = scopes.length > 0 ? { scope: scopes.join(' ') } : {};
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
