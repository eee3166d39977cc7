// A report as an Excel workbook, streamed (exceljs's WorkbookWriter: rows are written and
// forgotten, no shared-strings table grows in memory): a Summary sheet (name, parameters, data
// version, KPIs, narratives), then one sheet per TABLE and CHART section with typed cells —
// numbers as numbers, dates as dates — column widths from the header and first rows, a frozen
// header row and a filter on it. Strings stay strings: a cell is never written as a formula.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ColumnSpec, ColumnType } from '../../../lib/datasets/tables.js';
import { describeParams, type DocumentSection, type ReportDocument } from './document.js';

/** Rows looked at to size the columns of a sheet. */
const SIZING_ROWS = 50;
/** Rows written between two checks that the reader keeps up (constant memory on a slow socket). */
const YIELD_EVERY = 1000;
const MAX_WIDTH = 60;

const NUMBER_FORMAT: Partial<Record<ColumnType, string>> = {
  DATE: 'yyyy-mm-dd',
  TIMESTAMP: 'yyyy-mm-dd hh:mm:ss',
  FLOAT: '#,##0.00',
  INTEGER: '#,##0',
};

/** A value as the cell it should be: dates as Date (Excel serials), numbers as numbers. */
export function cellValue(value: unknown, type: ColumnType): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'DATE':
      return new Date(`${String(value)}T00:00:00Z`);
    case 'TIMESTAMP':
      return new Date(String(value));
    case 'INTEGER':
    case 'FLOAT':
      return typeof value === 'number' ? value : Number(value);
    case 'BOOLEAN':
      return Boolean(value);
    case 'TEXT':
      return String(value);
  }
}

const shownLength = (value: unknown, type: ColumnType) =>
  type === 'DATE'
    ? 10
    : type === 'TIMESTAMP'
      ? 19
      : typeof value === 'number'
        ? value.toLocaleString('en-US').length + 3
        : String(value ?? '').length;

/** Excel's rules for sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, doc: ReportDocument, taken: Set<string>): void {
  const sheet = workbook.addWorksheet(sheetName('Summary', taken));
  sheet.columns = [{ width: 28 }, { width: 90 }];
  sheet.addRow([doc.name]).font = { bold: true, size: 14 };
  sheet.addRow(['Parameters', describeParams(doc.params)]);
  sheet.addRow(['Generated', new Date(doc.generatedAt)]).getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss "UTC"';
  if (doc.dataVersion) sheet.addRow(['Data', `${doc.dataVersion.datasetName}, version ${doc.dataVersion.number}`]);
  const kpis = doc.sections.filter((s) => s.kind === 'KPI');
  if (kpis.length > 0) {
    sheet.addRow([]);
    sheet.addRow(['Key figures']).font = { bold: true };
    for (const kpi of kpis) {
      const type = kpi.columns.at(-1)?.type ?? 'FLOAT';
      const row = sheet.addRow([kpi.title, cellValue(kpi.value, type)]);
      row.getCell(2).numFmt = NUMBER_FORMAT[type] ?? '@';
      row.getCell(2).alignment = { horizontal: 'left' };
    }
  }
  for (const narrative of doc.sections.filter((s) => s.kind === 'NARRATIVE' && s.text)) {
    sheet.addRow([]);
    sheet.addRow([narrative.title]).font = { bold: true };
    sheet.addRow([narrative.text]).getCell(1).alignment = { wrapText: true, vertical: 'top' };
    sheet.mergeCells(sheet.lastRow!.number, 1, sheet.lastRow!.number, 2);
  }
  sheet.commit();
}

async function writeTable(workbook: ExcelJS.stream.xlsx.WorkbookWriter, section: DocumentSection, name: string, out: Writable) {
  const columns: ColumnSpec[] = section.columns;
  const iterator = (Symbol.asyncIterator in section.rows ? section.rows[Symbol.asyncIterator]() : section.rows[Symbol.iterator]()) as
    AsyncIterator<unknown[]> | Iterator<unknown[]>;
  try {
    // The first rows size the columns: a streamed sheet must declare its widths before its rows.
    const head: unknown[][] = [];
    let more = true;
    while (more && head.length < SIZING_ROWS) {
      const next = await iterator.next();
      if (next.done) more = false;
      else head.push(next.value);
    }
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c, i) => ({
      header: c.name,
      key: String(i),
      width: Math.min(MAX_WIDTH, Math.max(c.name.length + 2, ...head.map((r) => shownLength(r[i], c.type) + 2), 8)),
      style: NUMBER_FORMAT[c.type] ? { numFmt: NUMBER_FORMAT[c.type]! } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    const write = (row: unknown[]) => sheet.addRow(row.map((v, i) => cellValue(v, columns[i]?.type ?? 'TEXT'))).commit();
    head.forEach(write);
    let written = head.length;
    for (let next = more ? await iterator.next() : null; next && !next.done; next = await iterator.next()) {
      write(next.value);
      if (++written % YIELD_EVERY === 0 && out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
  } finally {
    // A failed write leaves the rows' cursor open otherwise.
    await iterator.return?.();
  }
}

/**
 * Writes the workbook to `out` and resolves when it is complete. A failure (a row cap passed
 * mid-stream) rejects; the caller then destroys `out`, so no reader takes a cut file for whole.
 */
export async function writeXlsx(doc: ReportDocument, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'ReportGraph';
  workbook.created = new Date(doc.generatedAt);
  const taken = new Set<string>();
  writeSummary(workbook, doc, taken);
  for (const section of doc.sections) {
    if ((section.kind === 'TABLE' || section.kind === 'CHART') && section.columns.length > 0) {
      await writeTable(workbook, section, sheetName(section.title, taken), out);
    }
  }
  await workbook.commit();
}
