// The datasets subgraph's hot reads as prepared statements (lib/db/statements.ts): the list every
// screen opens with, and the lookups by id other subgraphs' references land on.
import { columns, pick, statement, type Queryable } from '../../../lib/db/statements.js';
import { Prisma, type Dataset, type DatasetVersion } from '../../../lib/prisma.js';

const DATASET = Prisma.DatasetScalarFieldEnum;
const VERSION = Prisma.DatasetVersionScalarFieldEnum;
/** Prefix of the current version's columns joined to a dataset's. */
const CURRENT = 'current.';

const pageStatement = statement<Record<string, unknown>, [take: number, skip: number]>(
  'datasets.page',
  `SELECT ${columns(DATASET, 'd')}, ${columns(VERSION, 'v', { as: CURRENT })}
   FROM (SELECT * FROM "Dataset" ORDER BY "createdAt" ASC LIMIT $1 OFFSET $2) d
   LEFT JOIN "DatasetVersion" v ON v.id = d."currentVersionId"
   ORDER BY d."createdAt" ASC`,
);
const byIdsStatement = statement<Dataset, [ids: string[]]>(
  'datasets.byIds',
  `SELECT ${columns(DATASET, 'd')} FROM "Dataset" d WHERE d.id = ANY($1::uuid[])`,
);
const versionsByIdsStatement = statement<DatasetVersion, [ids: string[]]>(
  'datasets.versionsByIds',
  `SELECT ${columns(VERSION, 'v')} FROM "DatasetVersion" v WHERE v.id = ANY($1::uuid[])`,
);

export interface DatasetWithCurrent {
  dataset: Dataset;
  /** Its current version; null before the first upload completes. */
  current: DatasetVersion | null;
}

/** A page of datasets, oldest first, each with its current version: one statement for a list and its row counts. */
export async function datasetsPage(db: Queryable, take: number, skip: number): Promise<DatasetWithCurrent[]> {
  const rows = await pageStatement.rows(db, take, skip);
  return rows.map((row) => ({ dataset: pick<Dataset>(row, DATASET)!, current: pick<DatasetVersion>(row, VERSION, CURRENT) }));
}

export const datasetsByIds = (db: Queryable, ids: readonly string[]) => byIdsStatement.rows(db, [...ids]);
export const versionsByIds = (db: Queryable, ids: readonly string[]) => versionsByIdsStatement.rows(db, [...ids]);
