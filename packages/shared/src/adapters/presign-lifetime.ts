/**
 * How long a presigned URL really works: a SigV4 URL is only as alive as the credentials that
 * signed it. With temporary credentials (IRSA web identity sessions last 1 h by default,
 * instance roles ~6 h) a URL asked for 24 h dies with the session, so the lifetime we sign for
 * and report (`expiresAt`) is capped at the credentials' expiration, less a minute of margin
 * for clock skew between us and S3.
 */
export const CREDENTIAL_MARGIN_SECONDS = 60;

export function presignLifetimeSeconds(requestedSeconds: number, credentialsExpire: Date | undefined, now: Date): number {
  if (credentialsExpire === undefined) return requestedSeconds;
  const left = Math.floor((credentialsExpire.getTime() - now.getTime()) / 1000) - CREDENTIAL_MARGIN_SECONDS;
  return Math.max(1, Math.min(requestedSeconds, left));
}
