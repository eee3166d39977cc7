// What a hot report's cache key needs — the template's version and parameters, its dataset's
// current version — kept in memory so a cache hit touches only Redis. PostgreSQL tells every
// replica when one changes (NOTIFY on commit: a new dataset version, a template edit), and a
// short TTL bounds staleness should that connection drop. Until `listen()` (the subgraph's start)
// every read goes to PostgreSQL.
import pg from 'pg';
import type { Logger } from '../../../lib/logger.js';
import { DATASET_VERSIONS_CHANNEL } from '../../../lib/datasets/tables.js';

export const TEMPLATES_CHANNEL = 'report_templates';
const TTL_MS = 5_000;

export interface ReportHead {
  templateId: string;
  version: number;
  datasetId: string;
  parameters: unknown;
  dataVersionId: string | null;
}

export function createReportHeads(pool: pg.Pool, databaseUrl: string, logger: Logger) {
  const heads = new Map<string, { head: ReportHead; until: number }>();
  let listener: pg.Client | null = null;
  let listening = false;
  let closed = false;

  async function listen() {
    if (closed) return;
    listening = true;
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', (n) => {
      if (n.channel === TEMPLATES_CHANNEL) heads.delete(n.payload ?? '');
      else for (const [id, entry] of heads) if (entry.head.datasetId === n.payload) heads.delete(id);
    });
    client.on('error', (err) => {
      logger.warn({ err: err.message }, 'report cache listener lost; reconnecting');
      heads.clear();
      listener = null;
      setTimeout(() => void listen(), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${DATASET_VERSIONS_CHANNEL}; LISTEN ${TEMPLATES_CHANNEL}`);
      listener = client;
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'report cache listener could not connect; retrying');
      await client.end().catch(() => {});
      setTimeout(() => void listen(), 1000).unref();
    }
  }
  return {
    /** Starts listening for changes (and keeps reconnecting until closed). */
    listen(): void {
      if (!listening) void listen();
    },
    /** Throws while the listener is down: hot reports then read through to PostgreSQL. */
    async ready(): Promise<void> {
      if (listening && !listener) throw new Error('the report cache listener is not connected');
    },
    async get(templateId: string): Promise<ReportHead | null> {
      const hit = heads.get(templateId);
      // Without a live listener nothing invalidates entries: read through.
      if (hit && hit.until > Date.now() && listener) return hit.head;
      const { rows } = await pool.query(
        `SELECT t.id AS "templateId", t.version, t."datasetId", t.parameters, d."currentVersionId" AS "dataVersionId"
         FROM "ReportTemplate" t LEFT JOIN "Dataset" d ON d.id = t."datasetId"
         WHERE t.id = $1 AND t."deletedAt" IS NULL`,
        [templateId],
      );
      const head = (rows[0] as ReportHead | undefined) ?? null;
      if (head) heads.set(templateId, { head, until: Date.now() + TTL_MS });
      return head;
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
    },
  };
}

export type ReportHeads = ReturnType<typeof createReportHeads>;
