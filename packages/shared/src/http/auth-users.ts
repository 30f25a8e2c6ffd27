/**
 * The users POST /v1/auth/token knows, from AUTH_USERS_FILE (docs/auth.md):
 * `{"users": [{"username": "ada", "scrypt": "scrypt$N$r$p$<salt>$<hash>", "scopes": ["admin"]}]}`
 * where salt and hash are base64url. Passwords are checked with scrypt (RFC 7914) and
 * crypto.timingSafeEqual; an unknown user costs the same scrypt work as a known one, so
 * response time does not reveal which names exist.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ErrorCode, PipelineError } from '../errors.js';

export interface User {
  username: string;
  scopes: string[];
  /** The parsed `scrypt$…` hash. */
  hash: ScryptHash;
}

export interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

export interface UserDirectory {
  /** The user when the password matches, otherwise undefined (same cost either way). */
  authenticate(username: string, password: string): Promise<User | undefined>;
}

/** Defaults for new hashes: N = 2^15, r = 8, p = 1 (about 32 MiB, ~50 ms), 16-byte salt, 32-byte key. */
export const SCRYPT_DEFAULTS: Readonly<{ N: number; r: number; p: number }> = Object.freeze({ N: 32768, r: 8, p: 1 });

function scrypt(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** scrypt needs 128·N·r bytes; allow twice that so Node's 32 MiB default does not refuse N = 2^15. */
const memoryFor = (h: Pick<ScryptHash, 'N' | 'r'>): number => 256 * h.N * h.r;

export async function hashPassword(password: string, params = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...params, maxmem: memoryFor(params) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export function parseScryptHash(text: string): ScryptHash {
  const parts = text.split('$');
  const [tag, n, r, p, salt, key] = parts;
  const N = Number(n), R = Number(r), P = Number(p);
  const ok =
    parts.length === 6 && tag === 'scrypt' && Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0 &&
    Number.isInteger(R) && R > 0 && Number.isInteger(P) && P > 0 && !!salt && !!key;
  if (!ok) throw new PipelineError('a password hash must read scrypt$N$r$p$salt$hash (N a power of two)', { code: ErrorCode.INVALID_CONFIG, retriable: false });
  return { N, r: R, p: P, salt: Buffer.from(salt!, 'base64url'), key: Buffer.from(key!, 'base64url') };
}

export function createUserDirectory(users: readonly User[]): UserDirectory {
  const byName = new Map(users.map((u) => [u.username, u]));
  // Work for unknown names: the same cost as the default parameters.
  const decoy: ScryptHash = { ...SCRYPT_DEFAULTS, salt: randomBytes(16), key: randomBytes(32) };
  return {
    async authenticate(username, password) {
      const user = byName.get(username);
      const hash = user?.hash ?? decoy;
      const key = await scrypt(password, hash.salt, hash.key.length, { N: hash.N, r: hash.r, p: hash.p, maxmem: memoryFor(hash) });
      const match = timingSafeEqual(key, hash.key);
      return user !== undefined && match ? user : undefined;
    },
  };
}

/** Reads AUTH_USERS_FILE; every problem is INVALID_CONFIG naming the entry. */
export async function loadUserDirectory(path: string): Promise<UserDirectory> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new PipelineError(`AUTH_USERS_FILE ${path}: ${(err as Error).message}`, { code: ErrorCode.INVALID_CONFIG, retriable: false, cause: err });
  }
  const list = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) throw new PipelineError(`AUTH_USERS_FILE ${path}: expected {"users": [...]}`, { code: ErrorCode.INVALID_CONFIG, retriable: false });
  return createUserDirectory(list.map((entry, i) => parseUser(entry, `${path} users[${i}]`)));
}

function parseUser(entry: unknown, where: string): User {
  const e = (entry ?? {}) as { username?: unknown; scrypt?: unknown; scopes?: unknown };
  const scopes = e.scopes ?? [];
  if (typeof e.username !== 'string' || e.username === '' || typeof e.scrypt !== 'string' ||
      !Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
    throw new PipelineError(`AUTH_USERS_FILE ${where}: needs username, scrypt and optional scopes[]`, { code: ErrorCode.INVALID_CONFIG, retriable: false });
  }
  return { username: e.username, scopes: scopes as string[], hash: parseScryptHash(e.scrypt) };
}
