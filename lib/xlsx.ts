// Tables as Excel sheets, streamed (exceljs's WorkbookWriter: each row is written and forgotten,
// and no shared-strings table grows in memory): typed cells — numbers as numbers, dates as dates
// — column widths from the header and the first rows, a frozen header row with a filter on it.
// Text stays text: a cell is never written as a formula, whatever it starts with.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { lazyRequire } from './lazyRequire.js';
import type { Rows } from './csv.js';
import type { ColumnSpec, ColumnType } from './datasets/tables.js';

export type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;

/** ExcelJS, loaded by the first export (lazyRequire.ts). */
const excel = lazyRequire<typeof ExcelJS>('exceljs');

/** Rows looked at to size the columns of a sheet. */
const SIZING_ROWS = 50;
/** Rows written between two checks that the reader keeps up (constant memory on a slow socket). */
const YIELD_EVERY = 1000;
const MAX_WIDTH = 60;

export const NUMBER_FORMAT: Partial<Record<ColumnType, string>> = {
  DATE: 'yyyy-mm-dd',
  TIMESTAMP: 'yyyy-mm-dd hh:mm:ss',
  FLOAT: '#,##0.00',
  INTEGER: '#,##0',
};

/**
 * Text as a workbook's XML can hold it: XML 1.0 forbids U+FFFE and U+FFFF and unpaired surrogates
 * (Excel calls a file holding them damaged); they become U+FFFD. (Control characters are ExcelJS's.)
 */
export const xmlText = (text: string) =>
  text.replace(/[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

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
      return xmlText(String(value));
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

/**
 * Excel's rules for sheet names: at most 31 characters, none of []:*?/\, no apostrophe first or
 * last, not "History" (Excel's own), unique in the workbook.
 */
export function sheetName(title: string, taken: Set<string>): string {
  // Cut to 31 characters (by code point) first, then cleaned: no cut can leave an apostrophe or half a pair last.
  let base =
    xmlText([...title].slice(0, 31).join(''))
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .replace(/^'+|'+$/g, '')
      .trim() || 'Sheet';
  if (base.toLowerCase() === 'history') base = 'History (report)';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Where a sheet's XML waits to be zipped. exceljs writes each committed row into a buffer of its
 * own that passes everything on to the zip's input at once, ignoring backpressure, so on a slow
 * zip (deflate costs more than writing rows) the rows pile up there: this is the one place that
 * can tell a writer to wait. Read from exceljs 4.4's internals — the sheet's `stream` (a
 * StreamBuf) is piped into a readable-stream PassThrough that archiver reads, whose writable
 * state says whether it wants a 'drain'. Null if they ever change: writing then goes on unpaced,
 * holding more memory, never writing anything wrong.
 */
function zipInput(sheet: ExcelJS.Worksheet): { needsDrain(): boolean; drained(): Promise<unknown> } | null {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const input = pipes?.[0] as (NodeJS.EventEmitter & { _writableState?: { needDrain?: unknown } }) | undefined;
  if (!input || typeof input._writableState?.needDrain !== 'boolean') return null;
  return { needsDrain: () => input._writableState!.needDrain === true, drained: () => once(input, 'drain') };
}

/** Waits for `drained`, unless the reader goes away first (then no 'drain' ever comes): that rejects. */
async function unlessGone(drained: Promise<unknown>, out: Writable): Promise<void> {
  const gone = () => new Error('the reader went away before the workbook was written');
  if (out.destroyed) throw gone();
  let onClose = () => {};
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject(gone());
    out.once('close', onClose);
  });
  try {
    await Promise.race([drained, closed]);
  } finally {
    out.off('close', onClose);
  }
}

/** A workbook streamed to `out`; `commit()` it when every sheet is written. */
export function workbookWriter(out: Writable, created = new Date()): WorkbookWriter {
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'ReportGraph';
  workbook.created = created;
  return workbook;
}

/**
 * Writes a table as one sheet, row by row, pausing while `out` has more than it can take. Rows
 * from a cursor are closed if writing fails. A failure mid-way (a row cap passed) rejects; the
 * caller then destroys `out`, so no reader takes a cut file for a whole one.
 */
export async function writeTableSheet(workbook: WorkbookWriter, name: string, columns: ColumnSpec[], rows: Rows, out: Writable) {
  const iterator = (Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]()) as
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
      header: xmlText(c.name),
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
      if (++written % YIELD_EVERY !== 0) continue;
      // Wait for the zip to take what is written, and the reader to take what is zipped.
      const zip = zipInput(sheet);
      if (zip?.needsDrain()) await unlessGone(zip.drained(), out);
      if (out.writableNeedDrain) await unlessGone(once(out, 'drain'), out);
    }
    sheet.commit();
  } finally {
    // A failed write leaves the rows' cursor open otherwise.
    await iterator.return?.();
  }
}
