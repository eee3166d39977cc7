// CSV ingestion: the body streams through a guard (size, line length), a decoder (BOM, GBK) and
// into PostgreSQL with COPY FROM STDIN; only the head is held, to read the layout and infer types.
// PostgreSQL checks each value against the inferred type as it loads (the second check) and names
// the line and column of the first that does not fit. Loading bad values as NULL needs a look at
// each value, so that option (and several null tokens) parse the rows here instead.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { requireOwnerOrAdmin, type Identity } from '../../../lib/auth/identity.js';
import { badInput, notFound } from '../../../lib/errors.js';
import { copyRows, quoteIdent, writeVersion, type ProfilePolicy, type WrittenVersion } from '../../../lib/datasets/tables.js';
import type { PrismaClient } from '../../../lib/prisma.js';
import { isUuid } from '../../../lib/validation.js';
import { fromCopyError } from './copyErrors.js';
import { csvParseError, fitsType, readLayout, SAMPLE_ROWS, type CsvLayout, type CsvOptions } from './csvFormat.js';
import { LineGuard, type Progress } from './lineGuard.js';

/** The head is read until this many bytes or SAMPLE_ROWS lines, whichever comes first. */
const HEAD_BYTES = 1024 * 1024;

export interface IngestLimits extends ProfilePolicy {
  maxBytes: number;
  maxLineBytes: number;
}

export interface CsvIngestResult extends WrittenVersion {
  /** Values loaded as NULL because they broke their column's type (`onTypeError: NULL`). */
  typeErrorsAsNull: number;
}

export async function requireWritableDataset(prisma: PrismaClient, actor: Identity | null, datasetId: string) {
  const dataset = isUuid(datasetId) ? await prisma.dataset.findUnique({ where: { id: datasetId } }) : null;
  if (!dataset) throw notFound('dataset', datasetId);
  return { dataset, who: requireOwnerOrAdmin(actor, dataset.ownerId, 'dataset') };
}

/** Splits a byte stream into its head (for the layout) and everything, head included, as one stream. */
async function splitHead(source: AsyncIterator<Buffer>) {
  const chunks: Buffer[] = [];
  let size = 0;
  let lines = 0;
  let done = false;
  while (size < HEAD_BYTES && lines <= SAMPLE_ROWS + 1) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
    for (let i = next.value.indexOf(0x0a); i !== -1; i = next.value.indexOf(0x0a, i + 1)) lines++;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    yield head;
    if (done) return;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  }
  return { head, complete: done, all };
}

class StripBom extends Transform {
  private first = true;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    if (this.first) {
      this.first = false;
      chunk = chunk.subarray(3);
    }
    cb(null, chunk);
  }
}

/** The stream that yields UTF-8 text, whatever the file's encoding. */
function decoded(layout: CsvLayout, bytes: Readable): Readable {
  if (layout.encoding === 'GBK') return bytes.pipe(iconv.decodeStream('gbk')).pipe(iconv.encodeStream('utf8')) as unknown as Readable;
  if (layout.encoding === 'UTF8_BOM') return bytes.pipe(new StripBom());
  return bytes;
}

const inferredHint = (layout: CsvLayout) =>
  ` (the type was inferred from the first ${layout.sampleRows} rows; pass onTypeError: NULL to load such values as NULL)`;

/** The fast path: PostgreSQL parses the CSV itself. */
async function copyCsv(client: pg.PoolClient, table: string, layout: CsvLayout, text: Readable): Promise<number> {
  const lit = (s: string) => client.escapeLiteral(s);
  const typed = layout.columns.filter((c) => c.type !== 'TEXT').map((c) => quoteIdent(c.name));
  const options = [
    'FORMAT csv',
    `DELIMITER ${lit(layout.delimiter)}`,
    `QUOTE ${lit(layout.quote)}`,
    `HEADER ${layout.header ? 'true' : 'false'}`,
    `NULL ${lit(layout.nullTokens[0] ?? '')}`,
    "ENCODING 'UTF8'",
    // A quoted empty field in a number or date column means no value, not an error.
    ...(typed.length ? [`FORCE_NULL (${typed.join(', ')})`] : []),
  ];
  const copy = client.query(
    copyFrom(`COPY ${table} (${layout.columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN WITH (${options.join(', ')})`),
  );
  try {
    await pipeline(text, copy);
  } catch (err) {
    throw fromCopyError(err, inferredHint(layout));
  }
  return Number(copy.rowCount);
}

/** The careful path: every value checked here; misfits become NULL (counted) or fail with their place. */
async function copyCheckedRows(client: pg.PoolClient, table: string, layout: CsvLayout, text: Readable, onTypeError: 'FAIL' | 'NULL') {
  const nulls = new Set(layout.nullTokens);
  let typeErrorsAsNull = 0;
  const parser = text.pipe(
    parse({ delimiter: layout.delimiter, quote: layout.quote, from_line: layout.header ? 2 : 1, relax_column_count: true, info: true }),
  );
  const width = layout.columns.length;
  async function* rows() {
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (record.length !== width) {
          throw badInput(`line ${info.lines}: ${record.length} fields where the header has ${width}`, { line: info.lines });
        }
        yield record.map((value, i) => {
          if (nulls.has(value)) return null;
          const column = layout.columns[i]!;
          if (fitsType(value, column.type)) return value.trim() === value || column.type === 'TEXT' ? value : value.trim();
          if (onTypeError === 'NULL') {
            typeErrorsAsNull++;
            return null;
          }
          throw badInput(
            `line ${info.lines}, column "${column.name}": ${JSON.stringify(value)} is not ${column.type}${inferredHint(layout)}`,
            {
              line: info.lines,
              column: column.name,
            },
          );
        });
      }
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('CSV_')) throw csvParseError(err);
      throw err;
    }
  }
  const rowCount = await copyRows(client, table, layout.columns, rows());
  return { rowCount, typeErrorsAsNull };
}

/**
 * Ingests a CSV stream as the dataset's next version. All or nothing: a bad line fails the whole
 * load with its line (and column), leaving the previous version current and no table behind.
 */
export async function ingestCsv(
  deps: { prisma: PrismaClient; ingestPool: pg.Pool },
  actor: Identity | null,
  datasetId: string,
  body: Readable,
  options: CsvOptions & { fileName?: string },
  limits: IngestLimits & { onProgress?: (p: Progress) => void },
): Promise<CsvIngestResult> {
  const { who } = await requireWritableDataset(deps.prisma, actor, datasetId);
  for (const [name, ch] of [
    ['delimiter', options.delimiter],
    ['quote', options.quote],
  ] as const) {
    if (ch && /[\r\n]/.test(ch)) throw badInput(`options.${name}: cannot be a line break`, { field: `options.${name}` });
  }
  const guard = new LineGuard(limits);
  const guarded = body.pipe(guard);
  body.once('error', (err) => guarded.destroy(err));
  const { head, complete, all } = await splitHead(guarded[Symbol.asyncIterator]());
  const layout = readLayout(head, options, complete);
  const onTypeError = options.onTypeError ?? 'FAIL';
  const careful = onTypeError === 'NULL' || layout.nullTokens.length > 1;
  let typeErrorsAsNull = 0;
  const version = await writeVersion(deps.ingestPool, {
    datasetId,
    actor: who,
    sourceKind: 'CSV',
    source: {
      fileName: options.fileName ?? null,
      encoding: layout.encoding,
      delimiter: layout.delimiter,
      header: layout.header,
      nullTokens: layout.nullTokens,
      onTypeError,
    },
    columns: layout.columns,
    profileInlineMaxRows: limits.profileInlineMaxRows,
    onProfileError: limits.onProfileError,
    load: async (client, table) => {
      const text = decoded(layout, Readable.from(all()));
      if (!careful) return copyCsv(client, table, layout, text);
      const loaded = await copyCheckedRows(client, table, layout, text, onTypeError);
      typeErrorsAsNull = loaded.typeErrorsAsNull;
      return loaded.rowCount;
    },
  });
  return { ...version, typeErrorsAsNull };
}
