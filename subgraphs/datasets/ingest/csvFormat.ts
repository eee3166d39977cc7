// What a CSV file looks like, read from its first bytes: encoding, delimiter, header, column
// types. Only this head is ever held in memory; the rest of the file streams past.
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { badInput } from '../../../lib/errors.js';
import { checkColumnNames, type ColumnSpec, type ColumnType } from '../../../lib/datasets/tables.js';

export type CsvEncoding = 'UTF8' | 'UTF8_BOM' | 'GBK';

export interface CsvOptions {
  /** One character; detected among , ; tab | when not given. */
  delimiter?: string | null;
  quote?: string | null;
  /** Whether the first line names the columns. @default true */
  header?: boolean | null;
  /** `UTF8`, `GBK` or `AUTO` (a BOM, else UTF-8 when valid, else GBK). @default AUTO */
  encoding?: 'AUTO' | 'UTF8' | 'GBK' | null;
  /** Field texts that mean NULL. @default [""] (an empty unquoted field) */
  nullTokens?: string[] | null;
  /** What a value that breaks its column's inferred type does: fail the load, or load as NULL. @default FAIL */
  onTypeError?: 'FAIL' | 'NULL' | null;
}

/** Rows read to infer types. */
export const SAMPLE_ROWS = 1000;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function detectEncoding(head: Buffer, asked: CsvOptions['encoding']): CsvEncoding {
  const hasBom = head.subarray(0, 3).equals(UTF8_BOM);
  if (asked === 'GBK') return 'GBK';
  if (asked === 'UTF8') return hasBom ? 'UTF8_BOM' : 'UTF8';
  if (hasBom) return 'UTF8_BOM';
  // A multi-byte character may be cut at the end of the head: judge up to the last newline.
  const cut = head.lastIndexOf(0x0a);
  const probe = cut > 0 ? head.subarray(0, cut) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe);
    return 'UTF8';
  } catch {
    if (!iconv.decode(probe, 'gbk').includes('\ufffd')) return 'GBK';
    const line = firstBadUtf8Line(probe);
    throw badInput(`line ${line}: the file is neither valid UTF-8 nor GBK; pass encoding if it is another`, { line });
  }
}

function firstBadUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

export function decodeHead(head: Buffer, encoding: CsvEncoding): string {
  if (encoding === 'GBK') return iconv.decode(head, 'gbk');
  return (encoding === 'UTF8_BOM' ? head.subarray(3) : head).toString('utf8');
}

/** Parses the head's complete records; a record cut by the end of the head is left for later. */
function parseHead(text: string, delimiter: string, quote: string, complete: boolean): string[][] {
  let body = text;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (!complete) {
      const cut = body.lastIndexOf('\n');
      body = cut >= 0 ? body.slice(0, cut) : '';
    }
    try {
      return parse(body, { delimiter, quote, relax_column_count: true, skip_empty_lines: false, to: SAMPLE_ROWS + 1 }) as string[][];
    } catch (err) {
      // An open quote at the end of the head may close later in the file; with the whole file in
      // hand it is an error for the loader to report with its line.
      if (!complete && /Quote Not Closed|quote/i.test((err as Error).message)) continue;
      throw csvParseError(err);
    }
  }
  return [];
}

export function csvParseError(err: unknown) {
  const e = err as { message: string; lines?: number; code?: string };
  const line = e.lines;
  return badInput(`${line ? `line ${line}: ` : ''}${e.message.replace(/^Invalid (Opening|Closing) Quote: /, '')}`, line ? { line } : {});
}

/** Picks the delimiter that splits the first lines into the same number (> 1) of fields. */
export function detectDelimiter(text: string, quote: string, complete: boolean): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestScore = 0;
  for (const d of candidates) {
    let rows: string[][];
    try {
      rows = parseHead(text.slice(0, 64 * 1024), d, quote, complete && text.length <= 64 * 1024).slice(0, 20);
    } catch {
      continue;
    }
    if (rows.length === 0) continue;
    const width = rows[0]!.length;
    const consistent = rows.every((r) => r.length === width);
    const score = consistent && width > 1 ? width * 10 + rows.length : 0;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

// Every pattern runs on a value with its surrounding whitespace already cut (by `trimmed`, a
// loop, not a regex) and is linear: each position can be matched by one path only (no `\d+\.?\d*`,
// no two quantifiers that can take the same characters), so a 100,000-character cell is
// rejected in one pass.
const INTEGER = /^[-+]?\d{1,18}$/;
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const BOOLEAN = /^(?:true|false|t|f|yes|no)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?[ \t]*(?:Z|[+-](\d{2})(?::?(\d{2}))?)?$/i;
/** A number written with leading zeros (`02134`, `-007`; not `0`, `0.5`): an identifier, kept as text. */
const ZERO_PADDED = /^[-+]?0\d/;

/** PostgreSQL's whitespace around a value (C `isspace`): space, \t, \n, \v, \f, \r. */
const isSpace = (code: number) => code === 0x20 || (code >= 0x09 && code <= 0x0d);

/** `text` without the whitespace PostgreSQL skips around a number, boolean, date or timestamp. */
function trimmed(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real day of the (proleptic Gregorian) calendar, year 1 to 9999: PostgreSQL has no year 0. */
function isCalendarDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** A float PostgreSQL stores without "out of range": finite, and not a non-zero value that underflows to 0. */
function isDoubleInRange(text: string): boolean {
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  if (value !== 0) return true;
  const mantissa = text.split(/[eE]/)[0]!;
  return !/[1-9]/.test(mantissa);
}

/**
 * Whether `text` is a value PostgreSQL reads as `type` (the checks the inference used). Dates and
 * timestamps are checked against the calendar and the clock, not `Date.parse`: DATE is
 * `YYYY-MM-DD`; TIMESTAMP is `YYYY-MM-DD` then `T` or a space, `HH:MM`, optionally `:SS` and up to
 * 6 fraction digits, then optionally `Z` or an offset `±HH`, `±HHMM`, `±HH:MM` (up to ±15:59).
 * A date alone is not a TIMESTAMP here; `inferType` widens a column mixing both to TIMESTAMP.
 */
export function fitsType(text: string, type: ColumnType): boolean {
  if (type === 'TEXT') return true;
  const value = trimmed(text);
  switch (type) {
    case 'INTEGER':
      return INTEGER.test(value);
    case 'FLOAT':
      return FLOAT.test(value) && isDoubleInRange(value);
    case 'BOOLEAN':
      return BOOLEAN.test(value);
    case 'DATE': {
      const m = DATE.exec(value);
      return !!m && isCalendarDate(m[1]!, m[2]!, m[3]!);
    }
    case 'TIMESTAMP': {
      // A date is a timestamp at midnight, as PostgreSQL reads it.
      if (fitsType(value, 'DATE')) return true;
      const m = TIMESTAMP.exec(value);
      if (!m || !isCalendarDate(m[1]!, m[2]!, m[3]!)) return false;
      const [hour, minute, second, offsetHour, offsetMinute] = [m[4], m[5], m[6], m[7], m[8]].map((v) => Number(v ?? 0));
      return hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHour! <= 15 && offsetMinute! <= 59;
    }
  }
  return false;
}

/**
 * The narrowest type that fits every non-null sample value: INTEGER < FLOAT, DATE < TIMESTAMP, else
 * TEXT. Numbers with leading zeros (zip codes, `00501`) make the column TEXT, keeping their zeros.
 */
export function inferType(values: Array<string | null>): ColumnType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return 'TEXT';
  const zeroPadded = present.some((v) => ZERO_PADDED.test(trimmed(v)));
  for (const type of ['INTEGER', 'FLOAT', 'BOOLEAN', 'DATE', 'TIMESTAMP'] as const) {
    if (zeroPadded && (type === 'INTEGER' || type === 'FLOAT')) continue;
    // DATE is tried first; a column of dates and timestamps fits TIMESTAMP.
    if (present.every((v) => fitsType(v, type))) return type;
  }
  return 'TEXT';
}

export interface CsvLayout {
  encoding: CsvEncoding;
  delimiter: string;
  quote: string;
  header: boolean;
  nullTokens: string[];
  columns: ColumnSpec[];
  sampleRows: number;
}

/** Reads the layout from the head of the file. `complete` says the head is the whole file. */
export function readLayout(head: Buffer, options: CsvOptions, complete: boolean): CsvLayout {
  if (head.length === 0 || (complete && head.toString('latin1').trim() === '')) throw badInput('the file is empty');
  const quote = options.quote ?? '"';
  if (quote.length !== 1) throw badInput('options.quote: must be one character', { field: 'options.quote' });
  if (options.delimiter !== undefined && options.delimiter !== null && options.delimiter.length !== 1) {
    throw badInput('options.delimiter: must be one character', { field: 'options.delimiter' });
  }
  const encoding = detectEncoding(head, options.encoding);
  const text = decodeHead(head, encoding);
  const delimiter = options.delimiter ?? detectDelimiter(text, quote, complete);
  if (delimiter === quote) throw badInput('options.delimiter: must differ from the quote character', { field: 'options.delimiter' });
  const header = options.header ?? true;
  const nullTokens = options.nullTokens ?? [''];
  const records = parseHead(text, delimiter, quote, complete);
  if (records.length === 0) throw badInput(complete ? 'the file is empty' : 'line 1: no complete line in the first bytes of the file');
  const names = header ? records[0]!.map((n) => n.trim()) : records[0]!.map((_, i) => `column_${i + 1}`);
  if (header) checkColumnNames(names, 'header');
  const rows = header ? records.slice(1) : records;
  if (complete && rows.length === 0) throw badInput('the file has a header but no rows');
  const nulls = new Set(nullTokens);
  const columns = names.map((name, i) => ({
    name,
    type: inferType(rows.map((r) => (r[i] === undefined || nulls.has(r[i]!) ? null : r[i]!))),
  }));
  return { encoding, delimiter, quote, header, nullTokens, columns, sampleRows: rows.length };
}
