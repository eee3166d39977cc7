// One-off statements on a connection of their own: creating and dropping databases, checks.
import pg from 'pg';

/** Runs one statement on a fresh connection and closes it; returns the rows. */
export async function queryOnce(connectionString: string, sql: string): Promise<Record<string, any>[]> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same server's URL for another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Creates `name` on the server of `serverUrl` (connecting to its `postgres` database). */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await queryOnce(databaseUrl(serverUrl, 'postgres'), `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await queryOnce(databaseUrl(serverUrl, 'postgres'), `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}
