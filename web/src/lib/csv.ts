// CSV as the app downloads it (a report section's rows): RFC 4180, with a BOM so Excel reads
// UTF-8 (Chinese names), and every text cell neutralised against spreadsheet formula injection —
// the same rule as the gateway's CSV answers (lib/csv.ts on the server), which the app cannot
// import: a cell starting with = + - @ tab or CR, unless it is a plain number, gets a leading '.

import { saveFile } from './saveFile.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** @example csvCell('=1+1') // `"'=1+1"` */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) return quoted(`'${text}`);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? quoted(text) : text;
}

/** A header line and one line per row, CRLF-terminated, with a UTF-8 BOM for spreadsheets. */
export function toCsv(columns: ReadonlyArray<{ name: string }>, rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const line = (cells: ReadonlyArray<unknown>) => `${cells.map(csvCell).join(',')}\r\n`;
  return `\uFEFF${line(columns.map((c) => c.name))}${rows.map(line).join('')}`;
}

/** Offers `text` as a file download. */
export function download(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  saveFile(fileName, new Blob([text], { type }));
}
