// Password hashes with scrypt (memory-hard, in Node's crypto: no native dependency to build), at
// OWASP's parameters (N = 2^17, r = 8, p = 1: 128 MiB and a few hundred milliseconds per hash).
// Stored as `scrypt$N$r$p$salt$hash`, so the cost can be raised later: an older hash still
// verifies, and `needsRehash` says when to store a new one (at the next sign-in).
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** OWASP's scrypt recommendation, log2(N). */
export const DEFAULT_LOG2N = 17;
/** Hashes computed at once: each takes 128·N·r bytes of memory, so a burst of sign-ins is queued. */
const CONCURRENT_HASHES = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  if (running >= CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    const maxmem = 256 * (options.N ?? 1) * (options.r ?? R) + 1024 ** 2;
    return await new Promise<Buffer>((resolve, reject) =>
      scryptCb(password, salt, keylen, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string, { log2N = DEFAULT_LOG2N }: { log2N?: number } = {}): Promise<string> {
  const N = 2 ** log2N;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

const parts = (stored: string) => {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  return scheme === 'scrypt' && salt && hash ? { N: Number(n), r: Number(r), p: Number(p), salt, hash } : null;
};

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parts(stored);
  // Refuse costs no stored hash of ours has: a tampered row must not make sign-in a memory bomb.
  if (!parsed || !Number.isInteger(Math.log2(parsed.N)) || parsed.N > 2 ** 20 || parsed.r > 32 || parsed.p > 16) return false;
  const expected = Buffer.from(parsed.hash, 'base64');
  const key = await scrypt(password, Buffer.from(parsed.salt, 'base64'), expected.length, { N: parsed.N, r: parsed.r, p: parsed.p });
  return timingSafeEqual(key, expected);
}

/** True when `stored` was made with less work than `log2N` asks for today. */
export function needsRehash(stored: string, log2N = DEFAULT_LOG2N): boolean {
  const parsed = parts(stored);
  return !parsed || parsed.N < 2 ** log2N || parsed.r < R;
}

/** A password a person can copy from a terminal: 18 characters of base64url. */
export function generatePassword(): string {
  return randomBytes(14).toString('base64url');
}
