// An export as a whole file in memory, for what cannot stream: email attachments and webhook
// downloads of a stored run (whose rows are in memory already), and PDFs.
import { PassThrough } from 'node:stream';
import type { Config } from '../../../lib/config.js';
import { reportCsv } from './csv.js';
import type { ReportDocument } from './document.js';
import type { ExportFormat } from './formats.js';
import type { PdfPrinter } from './printer.js';
import { printPage } from './printPage.js';
import { writeXlsx } from './xlsx.js';

export interface FileDeps {
  config: Config;
  printer: PdfPrinter;
}

async function xlsxBuffer(doc: ReportDocument): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await writeXlsx(doc, out);
  await ended;
  return Buffer.concat(chunks);
}

/** The report in `format`, whole. CSV starts with a byte order mark: these files are opened in Excel. */
export async function exportFile(deps: FileDeps, doc: ReportDocument, format: ExportFormat): Promise<Buffer> {
  switch (format) {
    case 'CSV': {
      let text = '';
      for await (const chunk of reportCsv(doc, { bom: true })) text += chunk;
      return Buffer.from(text, 'utf8');
    }
    case 'XLSX':
      return xlsxBuffer(doc);
    case 'PDF':
      return deps.printer.print(await printPage(doc, { maxTableRows: deps.config.reports.pdf.maxTableRows }));
  }
}
