// The query a person builds on the Explore screen, as the gateway's DatasetQueryInput and as a
// report section's query. Filter values are typed in as text and read as the column's type.

export type Agg = 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'COUNT' | 'COUNT_DISTINCT' | 'MEDIAN';
export type FilterOp = 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'IN' | 'BETWEEN' | 'IS_NULL' | 'CONTAINS';
export type TimeUnit = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

export interface DraftQuery {
  dimensions: string[];
  measures: Array<{ column: string; agg: Agg }>;
  filters: Array<{ column: string; op: FilterOp; value: string }>;
  timeBucket: { column: string; unit: TimeUnit } | null;
  limit: number | null;
}

export interface SectionQuery {
  dimensions?: string[];
  measures?: Array<{ column: string; agg: Agg }>;
  filters?: Array<{ column: string; op: FilterOp; value?: unknown; values?: unknown[] }>;
  timeBucket?: { column: string; unit: TimeUnit };
  limit?: number;
}

const NUMERIC = new Set(['INTEGER', 'FLOAT']);

function typed(text: string, type: string | undefined): unknown {
  const trimmed = text.trim();
  if (type && NUMERIC.has(type) && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (type === 'BOOLEAN' && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  return trimmed;
}

/** The draft as a section query (also the body of DatasetQueryInput less the dataset). */
export function toSectionQuery(draft: DraftQuery, columnTypes: Record<string, string>): SectionQuery {
  const query: SectionQuery = {};
  if (draft.dimensions.length) query.dimensions = draft.dimensions;
  if (draft.measures.length) query.measures = draft.measures.map(({ column, agg }) => ({ column, agg }));
  if (draft.filters.length) {
    query.filters = draft.filters.map(({ column, op, value }) => {
      const type = columnTypes[column];
      if (op === 'IN' || op === 'BETWEEN') return { column, op, values: value.split(',').map((v) => typed(v, type)) };
      if (op === 'IS_NULL') return { column, op, value: value.trim() !== 'false' };
      return { column, op, value: typed(value, type) };
    });
  }
  if (draft.timeBucket) query.timeBucket = draft.timeBucket;
  if (draft.limit !== null) query.limit = draft.limit;
  return query;
}

/** Keys first (dimensions, then the time bucket), measures after: the order the gateway answers in. */
export const shapeOf = (draft: DraftQuery) => ({
  keys: draft.dimensions.length + (draft.timeBucket ? 1 : 0),
  time: draft.timeBucket ? draft.dimensions.length : null,
});
