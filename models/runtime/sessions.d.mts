// Types of sessions.mjs (plain JavaScript, loaded by worker threads).

export interface Session {
  run(feeds: any): Promise<any>;
  release(): Promise<void> | void;
}

export type Open = (bytes: Uint8Array, provider: 'cuda' | 'cpu', threads: number) => Promise<Session>;

export interface SessionStore {
  load(
    id: string,
    bytes: Uint8Array,
    device: 'auto' | 'cuda' | 'cpu',
    threads: number,
  ): Promise<{ device: 'cuda' | 'cpu'; fallback?: string }>;
  run(id: string, feeds: any): Promise<{ results: any; device: 'cuda' | 'cpu'; fallback?: string }>;
  unload(id: string): Promise<void>;
}

export function createSessionStore(deps: { open: Open }): SessionStore;
