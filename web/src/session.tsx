// The signed-in session: the gateway's token and who it belongs to.
//
// Kept in sessionStorage, not localStorage: it survives a reload of the tab (what people expect)
// but not the tab or browser being closed, so a report left open on a shared screen does not keep
// a 12-hour token on disk for whoever opens the browser next, and no other tab can quietly reuse
// it. Either storage is readable by script on this origin; the Content-Security-Policy (own
// scripts only) is what keeps foreign script out. A cookie would need CSRF defences the header
// token does not.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Role } from './__generated__/graphql.js';

const KEY = 'reportgraph.session';

export interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; role: Role };
}

/** The stored session, unless it is missing, malformed or expired. */
export function loadSession(storage: Pick<Storage, 'getItem' | 'removeItem'> = sessionStorage, now = Date.now()): Session | null {
  try {
    const session = JSON.parse(storage.getItem(KEY) ?? 'null') as Session | null;
    if (session?.token && Date.parse(session.expiresAt) > now) return session;
  } catch {
    // unreadable: treated as signed out
  }
  storage.removeItem(KEY);
  return null;
}

const RANK: Record<Role, number> = { VIEWER: 1, ANALYST: 2, ADMIN: 3 };
/** ADMIN ⊇ ANALYST ⊇ VIEWER, as the gateway decides. */
export const hasRole = (session: Session | null, role: Role) => !!session && RANK[session.user.role] >= RANK[role];

interface SessionContextValue {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState(() => loadSession());
  const signIn = useCallback((s: Session) => {
    sessionStorage.setItem(KEY, JSON.stringify(s));
    setSession(s);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
