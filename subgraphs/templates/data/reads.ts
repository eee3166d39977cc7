// The templates subgraph's hot reads as prepared statements (lib/db/statements.ts): users by id,
// which every list with owners (datasets, templates) references.
import { columns, statement, type Queryable } from '../../../lib/db/statements.js';
import { Prisma, type User } from '../../../lib/prisma.js';

const usersByIdsStatement = statement<User, [ids: string[]]>(
  'templates.usersByIds',
  `SELECT ${columns(Prisma.UserScalarFieldEnum, 'u')} FROM "User" u WHERE u.id = ANY($1::uuid[])`,
);

export const usersByIds = (db: Queryable, ids: readonly string[]) => usersByIdsStatement.rows(db, [...ids]);
