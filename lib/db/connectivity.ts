// Start-up checks that turn "cannot connect" into one line a newcomer can act on.
import { Redis } from 'ioredis';
import { redactUrl } from '../config.js';
import { createDatabase as create, queryOnce } from './admin.js';

export class DependencyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyUnavailableError';
  }
}

const PG_HINT = 'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or set DATABASE_URL)';
const REDIS_HINT = 'start it with: redis-server --daemonize yes --port 6379 --save "" (or set REDIS_URL)';

/**
 * Connects once to PostgreSQL. When the database named in the URL does not exist yet, it is
 * created (the server's `postgres` database is used for that), so `npm start` works on a bare server.
 */
export async function ensurePostgres(databaseUrl: string): Promise<void> {
  try {
    await queryOnce(databaseUrl, 'SELECT 1');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '3D000') {
      await createMissingDatabase(databaseUrl);
      return;
    }
    throw new DependencyUnavailableError(`cannot reach PostgreSQL at ${redactUrl(databaseUrl)} (${describe(err)}); ${PG_HINT}`);
  }
}

async function createMissingDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  try {
    await create(databaseUrl, name);
  } catch (err) {
    // Another process may have created it between our check and now: 42P04 when it finished
    // first, 23505 on pg_database's unique index when both were creating it at once.
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') {
      throw new DependencyUnavailableError(
        `database "${name}" does not exist at ${redactUrl(databaseUrl)} and could not be created (${describe(err)})`,
      );
    }
  }
}

/** Pings Redis once, without the client's retry loop. */
export async function ensureRedis(redisUrl: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new DependencyUnavailableError(`cannot reach Redis at ${redactUrl(redisUrl)} (${describe(err)}); ${REDIS_HINT}`);
  } finally {
    client.disconnect();
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  const code = e.code ?? e.errors?.[0]?.code;
  const message = (e.message || code || String(err)).split('\n')[0]!;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
