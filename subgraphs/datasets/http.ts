// POST /api/datasets/:id/csv — a raw CSV body streamed into a new version, never held whole.
// CSV options come as query parameters: delimiter, quote, header, encoding, nullTokens (comma
// separated), onTypeError; X-File-Name names the file in the version's source.
// GET /api/datasets/:id/export.(csv|xlsx)?query=<json>[&version=<n>][&bom=true] — any dataset
// query's result, streamed from a cursor (up to EXPORT_MAX_ROWS rows).
import express, { type Request } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { requireRole } from '../../lib/auth/identity.js';
import { csvChunks, csvTable } from '../../lib/csv.js';
import { resolveVersion } from '../../lib/datasets/catalog.js';
import { compileQuery, datasetQuerySchema, streamQuery } from '../../lib/datasets/query.js';
import { downloadHeaders, fileStem, sendChunks } from '../../lib/downloads.js';
import { cutStalledDownload, cutStalledUpload } from '../../lib/stalls.js';
import { badInput, ErrorCode, ReportGraphError } from '../../lib/errors.js';
import { failStream, sendError } from '../../lib/graphql/httpErrors.js';
import { sheetName, workbookWriter, writeTableSheet } from '../../lib/xlsx.js';
import type { IdentifyRequest } from '../../lib/graphql/subgraph.js';
import { parseInput } from '../../lib/validation.js';
import { ingestCsvBody, type IngestDeps } from './data/ingest.js';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const csvQuery = z.object({
  delimiter: z
    .string()
    .transform((v) => (v === '\\t' || v === 'tab' ? '\t' : v))
    .optional(),
  quote: z.string().optional(),
  header: flag.optional(),
  encoding: z.enum(['AUTO', 'UTF8', 'GBK']).optional(),
  nullTokens: z
    .string()
    .transform((v) => v.split(','))
    .optional(),
  onTypeError: z.enum(['FAIL', 'NULL']).optional(),
});

/**
 * X-File-Name, percent-decoded: a header carries only Latin-1, so browsers send `销售.csv` as
 * `%E9%94%80%E5%94%AE.csv` (encodeURIComponent). A name that does not decode is kept as sent.
 */
function fileNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

const exportQuery = z.object({
  query: z
    .string('give the query as JSON: {"dimensions": [...], "measures": [...], ...}')
    .max(16 * 1024)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(datasetQuerySchema),
  version: z.coerce.number().int().positive().optional(),
  bom: flag.optional(),
});

/** Streams one dataset query's result as CSV or XLSX. */
async function exportQueryResult(
  deps: DatasetsHttpDeps,
  identify: IdentifyRequest,
  req: Request<{ id: string; ext: string }>,
  res: express.Response,
) {
  requireRole(await identify(req), 'VIEWER');
  const ext = req.params.ext.toLowerCase();
  if (ext !== 'csv' && ext !== 'xlsx')
    throw badInput(`format: export.${ext} is not offered; use export.csv or export.xlsx`, { field: 'format' });
  const { query, version: number, bom } = parseInput(exportQuery, req.query, '');
  const { dataset, version, columns } = await resolveVersion(deps.prisma, req.params.id, number, { datasetId: 'id', version: 'version' });
  const { exportMaxRows: maxRows, queryTimeoutMs: timeoutMs } = deps.config.datasets;
  const compiled = compileQuery(version.tableName, columns, query, { maxRows, field: 'query' });
  const rows = streamQuery(deps.queryPool, compiled, { maxRows, timeoutMs, limit: 'EXPORT_MAX_ROWS' });
  res.status(200).set(downloadHeaders(`${fileStem(dataset.name)}.${ext}`, ext));
  cutStalledDownload(res, deps.config.datasets.transferIdleSeconds);
  if (ext === 'csv') return sendChunks(res, csvChunks(csvTable(compiled.columns, rows), { bom }));
  const workbook = workbookWriter(res);
  await writeTableSheet(workbook, sheetName(dataset.name, new Set()), compiled.columns, rows, res);
  await workbook.commit();
}

/** What the routes need: ingestion's, and the dataset-query pool exports read from. */
export type DatasetsHttpDeps = IngestDeps & { queryPool: pg.Pool };

export function datasetsHttp(deps: DatasetsHttpDeps, identify: IdentifyRequest) {
  const router = express.Router();
  router.get('/api/datasets/:id/export.:ext', async (req: Request<{ id: string; ext: string }>, res) => {
    try {
      await exportQueryResult(deps, identify, req, res);
    } catch (err) {
      failStream(res, err, { logger: deps.logger, exposeDetails: deps.config.exposeErrorDetails });
    }
  });
  router.post('/api/datasets/:id/csv', async (req: Request<{ id: string }>, res) => {
    try {
      cutStalledUpload(req, res, deps.config.datasets.transferIdleSeconds, deps.config.datasets.transferMinBytesPerSecond);
      const identity = await identify(req);
      const declared = Number(req.get('content-length'));
      const { ingestMaxBytes } = deps.config.datasets;
      if (declared > ingestMaxBytes) {
        throw new ReportGraphError(
          ErrorCode.BAD_USER_INPUT,
          `the file is larger than ${ingestMaxBytes} bytes`,
          { limit: ingestMaxBytes },
          413,
        );
      }
      const options = parseInput(csvQuery, req.query, 'options');
      const fileName = fileNameOf(req.get('x-file-name'));
      const version = await ingestCsvBody(deps, identity, req.params.id, req, { ...options, fileName });
      res.status(201).json({
        id: version.id,
        datasetId: version.datasetId,
        number: version.number,
        rowCount: version.rowCount,
        typeErrorsAsNull: version.typeErrorsAsNull,
        profiled: version.profiled,
        columns: version.columns.map(({ histogram: _h, position: _p, ...c }) => c),
      });
    } catch (err) {
      sendError(res, err, { logger: deps.logger, exposeDetails: deps.config.exposeErrorDetails });
    }
  });
  return router;
}
