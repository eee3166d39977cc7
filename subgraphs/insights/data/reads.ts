// The insights subgraph's hot reads as prepared statements (lib/db/statements.ts): a dataset
// list's analyses and insights, newest first and paged per dataset, in one statement for the list.
import { columns, statement, type Queryable } from '../../../lib/db/statements.js';
import { Prisma, type AnalysisJob, type Insight } from '../../../lib/prisma.js';

/** Of each dataset in `ids`, its rows newest first (ties by id), `take` after `skip`. */
function pagedByDataset<R>(table: 'AnalysisJob' | 'Insight', select: string) {
  return statement<R, [ids: string[], take: number, skip: number]>(
    `insights.${table}.pagedByDataset`,
    `SELECT ${select} FROM unnest($1::uuid[]) AS parent(id) CROSS JOIN LATERAL (
       SELECT * FROM "${table}" WHERE "datasetId" = parent.id ORDER BY "createdAt" DESC, id LIMIT $2 OFFSET $3
     ) t`,
  );
}

const jobs = pagedByDataset<AnalysisJob>('AnalysisJob', columns(Prisma.AnalysisJobScalarFieldEnum, 't', { casts: { kinds: 'text[]' } }));
const insights = pagedByDataset<Insight>('Insight', columns(Prisma.InsightScalarFieldEnum, 't'));

export const jobsByDataset = (db: Queryable, ids: readonly string[], take: number, skip: number) => jobs.rows(db, [...ids], take, skip);
export const insightsByDataset = (db: Queryable, ids: readonly string[], take: number, skip: number) =>
  insights.rows(db, [...ids], take, skip);
