// A report as an Excel workbook, streamed: a Summary sheet (name, parameters, data version, KPIs,
// narratives), then one sheet per TABLE and CHART section, typed and sized (lib/xlsx.ts).
import type { Writable } from 'node:stream';
import { cellValue, NUMBER_FORMAT, sheetName, workbookWriter, writeTableSheet, xmlText, type WorkbookWriter } from '../../../lib/xlsx.js';
import { describeParams, type ReportDocument } from './document.js';

function writeSummary(workbook: WorkbookWriter, doc: ReportDocument, taken: Set<string>): void {
  const sheet = workbook.addWorksheet(sheetName('Summary', taken));
  sheet.columns = [{ width: 28 }, { width: 90 }];
  sheet.addRow([xmlText(doc.name)]).font = { bold: true, size: 14 };
  sheet.addRow(['Parameters', xmlText(describeParams(doc.params))]);
  sheet.addRow(['Generated', new Date(doc.generatedAt)]).getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss "UTC"';
  if (doc.dataVersion) sheet.addRow(['Data', xmlText(`${doc.dataVersion.datasetName}, version ${doc.dataVersion.number}`)]);
  const kpis = doc.sections.filter((s) => s.kind === 'KPI');
  if (kpis.length > 0) {
    sheet.addRow([]);
    sheet.addRow(['Key figures']).font = { bold: true };
    for (const kpi of kpis) {
      const type = kpi.columns.at(-1)?.type ?? 'FLOAT';
      const row = sheet.addRow([xmlText(kpi.title), cellValue(kpi.value, type)]);
      row.getCell(2).numFmt = NUMBER_FORMAT[type] ?? '@';
      row.getCell(2).alignment = { horizontal: 'left' };
    }
  }
  for (const narrative of doc.sections.filter((s) => s.kind === 'NARRATIVE' && s.text)) {
    sheet.addRow([]);
    sheet.addRow([xmlText(narrative.title)]).font = { bold: true };
    sheet.addRow([xmlText(narrative.text!)]).getCell(1).alignment = { wrapText: true, vertical: 'top' };
    sheet.mergeCells(sheet.lastRow!.number, 1, sheet.lastRow!.number, 2);
  }
  sheet.commit();
}

/**
 * Writes the workbook to `out` and resolves when it is complete. A failure (a row cap passed
 * mid-stream) rejects; the caller then destroys `out`, so no reader takes a cut file for whole.
 */
export async function writeXlsx(doc: ReportDocument, out: Writable): Promise<void> {
  const workbook = workbookWriter(out, new Date(doc.generatedAt));
  const taken = new Set<string>();
  writeSummary(workbook, doc, taken);
  for (const section of doc.sections) {
    if ((section.kind === 'TABLE' || section.kind === 'CHART') && section.columns.length > 0) {
      await writeTableSheet(workbook, sheetName(section.title, taken), section.columns, section.rows, out);
    }
  }
  await workbook.commit();
}
