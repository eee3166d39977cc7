// POST /api/datasets/:id/csv — a raw CSV body streamed into a new version, never held whole.
// CSV options come as query parameters: delimiter, quote, header, encoding, nullTokens (comma
// separated), onTypeError; X-File-Name names the file in the version's source.
import express, { type Request } from 'express';
import { z } from 'zod';
import { ErrorCode, ReportGraphError } from '../../lib/errors.js';
import { sendError } from '../../lib/graphql/httpErrors.js';
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

export function datasetsHttp(deps: IngestDeps, identify: IdentifyRequest) {
  const router = express.Router();
  router.post('/api/datasets/:id/csv', async (req: Request<{ id: string }>, res) => {
    try {
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
