// Reports over plain HTTP, beside GraphQL:
//   GET /api/reports/:templateId/export.(csv|xlsx|pdf)?<params>[&section=<id>][&bom=true][&sig=...]
//   GET /api/reports/runs/:runId/export.(csv|xlsx|pdf)?sig=...     a stored run, as it was rendered
//   GET /api/shared/:token[/print]                                  a public snapshot: JSON, or the print page
// Exports take the same credentials as /graphql (Bearer token or X-API-Key), or a signed `sig`
// from `exportReport` or a delivered report. CSV and XLSX stream: a table section of any size
// leaves the server row by row. A failure after the first byte cuts the connection, so no client
// takes a truncated file for a whole one.
import express, { type Request, type Response } from 'express';
import { requireRole, type Identity } from '../../lib/auth/identity.js';
import { downloadHeaders, sendChunks } from '../../lib/downloads.js';
import { cutStalledDownload } from '../../lib/stalls.js';
import { badInput, notFound, unauthenticated } from '../../lib/errors.js';
import { failStream } from '../../lib/graphql/httpErrors.js';
import type { IdentifyRequest } from '../../lib/graphql/subgraph.js';
import type { Logger } from '../../lib/logger.js';
import { isUuid } from '../../lib/validation.js';
import { linkCaller } from './data/exports.js';
import { paramsFromQuery, type LinkPurpose } from './data/links.js';
import { bindParameters, type RenderedReport } from './data/render.js';
import type { ReportHeads } from './data/reportHeads.js';
import { declared, liveTemplate, type ReportDeps } from './data/reports.js';
import { openSnapshot } from './data/snapshots.js';
import type { DeliveryServices } from './delivery/services.js';
import { pickSection, reportCsv } from './export/csv.js';
import { documentOf, fileStem, type ReportDocument } from './export/document.js';
import { exportFile } from './export/files.js';
import { FORMATS, formatOfExtension, type ExportFormat } from './export/formats.js';
import { printPage } from './export/printPage.js';
import { hotDocument, storedDocument, streamingDocument } from './export/sources.js';
import { writeXlsx } from './export/xlsx.js';

export type ReportsHttpDeps = ReportDeps & DeliveryServices & { reportHeads: ReportHeads; logger: Logger };

/** A print page may show only itself: no scripts, nothing fetched, no framing, no referrer (the link is the key). */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function formatOf(ext: string): ExportFormat {
  const format = formatOfExtension(ext);
  if (!format) throw badInput(`format: export.${ext} is not offered; use export.csv, export.xlsx or export.pdf`, { field: 'format' });
  return format;
}

const flag = (v: unknown) => v === 'true' || v === '1';

async function sendDocument(deps: ReportsHttpDeps, req: Request, res: Response, doc: ReportDocument, format: ExportFormat): Promise<void> {
  const section = typeof req.query.section === 'string' ? req.query.section : undefined;
  if (section !== undefined && format !== 'CSV') throw badInput('section: only CSV exports take one section', { field: 'section' });
  if (section !== undefined) pickSection(doc, section);
  // A PDF is printed whole before it is sent: its errors still get a proper answer.
  const pdf = format === 'PDF' ? await exportFile(deps, doc, 'PDF') : null;
  const stem = section ? `${fileStem(doc.name)}-${fileStem(section)}` : fileStem(doc.name);
  res.status(200).set(downloadHeaders(`${stem}.${FORMATS[format].ext}`, FORMATS[format].ext));
  if (pdf) {
    res.set('content-length', String(pdf.length)).end(pdf);
    return;
  }
  cutStalledDownload(res, deps.config.datasets.transferIdleSeconds);
  if (format === 'CSV') await sendChunks(res, reportCsv(doc, { section, bom: flag(req.query.bom) }));
  else await writeXlsx(doc, res);
}

/**
 * Who is downloading: the caller, by their credentials; else whoever signed the link, which must
 * be for exactly this download (`expected`). Anyone else is UNAUTHENTICATED before anything is read.
 */
async function downloader(deps: ReportsHttpDeps, identify: IdentifyRequest, req: Request) {
  const identity = await identify(req);
  const sig = req.query.sig;
  if (!identity && typeof sig !== 'string') throw unauthenticated();
  return async (purpose: LinkPurpose, expected: Parameters<typeof linkCaller>[4]): Promise<Identity> =>
    requireRole(identity ?? (await linkCaller(deps.prisma, deps.config.reports.linkSecret, sig as string, purpose, expected)), 'VIEWER');
}

async function templateExport(
  deps: ReportsHttpDeps,
  identify: IdentifyRequest,
  req: Request<{ templateId: string; ext: string }>,
  res: Response,
) {
  const format = formatOf(req.params.ext);
  const callerFor = await downloader(deps, identify, req);
  const template = await liveTemplate(deps.prisma, req.params.templateId);
  const params = bindParameters(declared(template), paramsFromQuery(declared(template), req.query as Record<string, unknown>));
  const caller = await callerFor('export', { id: template.id, format, params });
  const doc = format === 'PDF' ? await hotDocument(deps, caller, template, params) : await streamingDocument(deps, template, params);
  await sendDocument(deps, req, res, doc, format);
}

async function runExport(deps: ReportsHttpDeps, identify: IdentifyRequest, req: Request<{ runId: string; ext: string }>, res: Response) {
  const format = formatOf(req.params.ext);
  const { runId } = req.params;
  await (
    await downloader(deps, identify, req)
  )('run-export', { id: runId, format });
  const run = isUuid(runId)
    ? await deps.prisma.reportRun.findUnique({ where: { id: runId }, include: { template: { select: { name: true } } } })
    : null;
  if (!run) throw notFound('report run', runId);
  if (run.status !== 'SUCCEEDED' || !run.result)
    throw badInput(`the run ${run.status === 'RUNNING' ? 'is still running' : 'failed'}: it has no report`, { field: 'runId' });
  await sendDocument(
    deps,
    req,
    res,
    await storedDocument(deps.prisma, run.template.name, run.result as unknown as RenderedReport, run.dataVersionId),
    format,
  );
}

async function snapshot(deps: ReportsHttpDeps, req: Request<{ token: string }>, res: Response, print: boolean) {
  const { name, report, dataVersion, expiresAt } = await openSnapshot(deps.prisma, deps.config, req.params.token);
  // Revocation must take effect at once: nothing may keep a copy.
  res.set({
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  if (!print) {
    const { params, generatedAt, sections } = report;
    res.json({ name, params, generatedAt, dataVersion, expiresAt, sections });
    return;
  }
  const page = await printPage(documentOf(name, report, dataVersion), { maxTableRows: deps.config.reports.pdf.maxTableRows });
  res.set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_POLICY }).send(page.html);
}

export function reportsHttp(deps: ReportsHttpDeps, identify: IdentifyRequest) {
  const router = express.Router();
  const handle =
    <P>(fn: (req: Request<P>, res: Response) => Promise<void>) =>
    async (req: Request<P>, res: Response) => {
      try {
        await fn(req, res);
      } catch (err) {
        failStream(res, err, { logger: deps.logger, exposeDetails: deps.config.exposeErrorDetails });
      }
    };
  router.get(
    '/api/reports/runs/:runId/export.:ext',
    handle<{ runId: string; ext: string }>((req, res) => runExport(deps, identify, req, res)),
  );
  router.get(
    '/api/reports/:templateId/export.:ext',
    handle<{ templateId: string; ext: string }>((req, res) => templateExport(deps, identify, req, res)),
  );
  router.get(
    '/api/shared/:token',
    handle<{ token: string }>((req, res) => snapshot(deps, req, res, false)),
  );
  router.get(
    '/api/shared/:token/print',
    handle<{ token: string }>((req, res) => snapshot(deps, req, res, true)),
  );
  return router;
}
