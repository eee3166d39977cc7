// CSV as the product writes it (persisted GETs, report exports): RFC 4180 quoting, and every
// cell neutralised against spreadsheet formula injection — dataset values are written by analysts
// or fetched from REST and PostgreSQL sources, and a cell such as `=HYPERLINK("http://evil", "x")`
// would run as a formula in whoever opens the file (OWASP, CSV injection).

/** What makes a spreadsheet read a cell as a formula (OWASP, CSV injection): = + - @ tab CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number in text: it starts with a sign yet can be no formula, so it is left as it is. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * One CSV cell (RFC 4180 quoting). JSON numbers and booleans are written as they are (−5 stays
 * `-5`); text starting with `=`, `+`, `-`, `@`, tab or carriage return — unless it is a plain
 * number — gets a leading `'` and quotes, so spreadsheets show it as text instead of running it.
 * @example csvCell('=1+1') // `"'=1+1"`
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) return quoted(`'${text}`);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? quoted(text) : text;
}

/** One CSV record, CRLF-terminated, every cell through `csvCell`. */
export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** Rows in memory or streamed from a cursor: the writers read both the same way. */
export type Rows = AsyncIterable<unknown[]> | Iterable<unknown[]>;

/** A table's CSV lines: the header, then each row. */
export async function* csvTable(columns: Array<{ name: string }>, rows: Rows): AsyncGenerator<string> {
  yield csvLine(columns.map((c) => c.name));
  for await (const row of rows) yield csvLine(row);
}

/** Bytes gathered before a chunk is handed on: fewer, larger writes to the socket. */
const CHUNK_BYTES = 64 * 1024;

/** Lines joined into chunks of about 64 KiB, after an optional UTF-8 byte order mark (which Excel needs to read UTF-8). */
export async function* csvChunks(lines: AsyncIterable<string>, { bom = false }: { bom?: boolean } = {}): AsyncGenerator<string> {
  let chunk = bom ? '\uFEFF' : '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
