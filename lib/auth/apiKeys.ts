// API keys for BI tools and scripts: `rg_<random>`, shown once, stored as sha256 (a key has
// 192 bits of entropy, so a fast hash is enough and lookups stay O(1) by the unique index).
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'rg_';

export function generateApiKey(): { key: string; keyHash: string; keyPrefix: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  return { key, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
