// `suggestChart`: the chart for a dataset query, from the query's shape and the version's column
// profile (no rows are read). The query is compiled first, so a query datasetQuery would refuse is
// refused here with the same error naming the same field.
import { requireRole, type Identity } from '../../../lib/auth/identity.js';
import { profiledColumns, resolveVersion } from '../../../lib/datasets/catalog.js';
import { compileQuery, type DatasetQuery } from '../../../lib/datasets/query.js';
import type { Config } from '../../../lib/config.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { conflict } from '../../../lib/errors.js';
import { suggestChart as suggest, type ChartSuggestion } from '../../../models/runtime/chartAdvisor.js';
import { ModelNotServedError, type ServedModels } from '../../../models/runtime/servedModels.js';

export async function suggestChart(
  deps: { prisma: PrismaClient; config: Config; models: ServedModels },
  actor: Identity | null,
  input: DatasetQuery & { datasetId: string; version?: number | null },
): Promise<ChartSuggestion> {
  requireRole(actor, 'VIEWER');
  const { version, columns } = await resolveVersion(deps.prisma, input.datasetId, input.version);
  compileQuery(version.tableName, columns, input, { maxRows: deps.config.datasets.queryMaxRows });
  try {
    return await suggest(deps.models, {
      query: input,
      columns: await profiledColumns(deps.prisma, version.id),
      rowCount: Number(version.rowCount),
      stickyKey: input.datasetId,
      data: { name: 'rows' },
    });
  } catch (err) {
    // The registry serves no chart model: a state an ADMIN can change, said as such.
    if (err instanceof ModelNotServedError) throw conflict(err.message, { model: err.modelName });
    throw err;
  }
}
