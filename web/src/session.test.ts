import { describe, expect, it } from 'vitest';
import { hasRole, loadSession, type Session } from './session.js';

const storage = (value: string | null) => {
  const store = { value, removed: false };
  return { store, getItem: () => store.value, removeItem: () => void (store.removed = true) };
};
const session = (expiresAt: string): Session => ({ token: 't', expiresAt, user: { id: '1', username: 'a', role: 'ANALYST' } });

describe('the stored session', () => {
  it('survives a reload until it expires; an expired or unreadable one is dropped', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(loadSession(storage(JSON.stringify(session('2026-01-01T12:00:00Z'))), now)?.token).toBe('t');
    for (const stored of [JSON.stringify(session('2025-12-31T23:59:59Z')), '{not json', JSON.stringify({ user: {} })]) {
      const s = storage(stored);
      expect(loadSession(s, now)).toBeNull();
      expect(s.store.removed).toBe(true);
    }
  });

  it('ranks roles as the gateway does', () => {
    const analyst = session('2100-01-01T00:00:00Z');
    expect([hasRole(analyst, 'VIEWER'), hasRole(analyst, 'ANALYST'), hasRole(analyst, 'ADMIN'), hasRole(null, 'VIEWER')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
