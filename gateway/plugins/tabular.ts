// A GraphQL result as CSV, for BI tools: the first table found in `data` — a `{ columns, rows }`
// result (datasetQuery), else the first list of objects (nested objects flattened to `a.b`).
// Every cell goes through lib/csv.ts, which neutralises formula injection.
import { csvLine } from '../../lib/csv.js';
import { flattenRecord } from '../../lib/records.js';

type Table = { header: string[]; rows: unknown[][] };

function findTable(value: unknown): Table | null {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      const records = (value as Record<string, unknown>[]).map((r) => flattenRecord(r));
      const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
      return { header, rows: records.map((r) => header.map((h) => r[h])) };
    }
    return null;
  }
  if (value && typeof value === 'object') {
    const v = value as { columns?: unknown; rows?: unknown };
    if (Array.isArray(v.columns) && Array.isArray(v.rows) && v.rows.every(Array.isArray)) {
      return { header: v.columns.map((c: { name?: unknown }) => String(c?.name ?? '')), rows: v.rows as unknown[][] };
    }
    for (const child of Object.values(value)) {
      const table = findTable(child);
      if (table) return table;
    }
  }
  return null;
}

/** CSV of the first table in `data` (a single object becomes one row), every cell neutralised by `csvCell`. */
export function toCsv(data: Record<string, unknown>): string {
  const table =
    findTable(data) ??
    (() => {
      const flat = flattenRecord(data);
      return { header: Object.keys(flat), rows: [Object.values(flat)] };
    })();
  return csvLine(table.header) + table.rows.map(csvLine).join('');
}
