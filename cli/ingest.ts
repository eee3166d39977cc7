// npm run ingest -- FILE.csv --dataset NAME [--url URL] [--delimiter ;] [--encoding GBK] [--no-header]
//                  [--null-tokens NA,null] [--on-type-error NULL]
// Streams a CSV file to a ReportGraph gateway (POST /api/datasets/:id/csv) with a progress bar.
// Credentials: REPORTGRAPH_API_KEY, REPORTGRAPH_TOKEN, or REPORTGRAPH_USER + REPORTGRAPH_PASSWORD.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { credentials, die, gatewayUrl, graphql } from './client.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dataset: { type: 'string' },
    url: { type: 'string' },
    delimiter: { type: 'string' },
    quote: { type: 'string' },
    encoding: { type: 'string' },
    'no-header': { type: 'boolean', default: false },
    'null-tokens': { type: 'string' },
    'on-type-error': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const TOOL = 'ingest';
function fail(message: string): never {
  die(TOOL, message);
}

const file = positionals[0];
if (args.help || !file || !args.dataset) {
  process.stdout.write(
    'usage: npm run ingest -- FILE.csv --dataset NAME [--url URL] [--delimiter C] [--encoding UTF8|GBK] [--no-header] [--null-tokens A,B] [--on-type-error FAIL|NULL]\n',
  );
  process.exit(args.help ? 0 : 1);
}
if (args.url) process.env.REPORTGRAPH_URL = args.url;
const base = gatewayUrl();

/** The dataset named NAME, created when there is none. */
async function datasetId(auth: Record<string, string>, name: string): Promise<string> {
  for (let offset = 0; ; offset += 1000) {
    const { datasets } = await graphql(TOOL, auth, 'query($o: Int) { datasets(limit: 1000, offset: $o) { id name } }', { o: offset });
    const found = datasets.find((d: { name: string }) => d.name === name);
    if (found) return found.id;
    if (datasets.length < 1000) break;
  }
  const { createDataset } = await graphql(TOOL, auth, 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', { n: name });
  process.stderr.write(`created dataset "${name}"\n`);
  return createDataset.id;
}

/** Counts bytes and lines as the file streams out, and draws the bar. */
function progress(total: number) {
  let bytes = 0;
  let lines = 0;
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastDraw = 0;
  const draw = (final = false) => {
    const now = performance.now();
    if (!final && now - lastDraw < (tty ? 100 : 2000)) return;
    lastDraw = now;
    const seconds = (now - started) / 1000 || 1e-9;
    const share = total ? bytes / total : 1;
    const width = 30;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    const rate = Math.round(lines / seconds);
    const eta = share > 0 && share < 1 ? `, ${Math.ceil(seconds / share - seconds)} s left` : '';
    const text = `${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${lines.toLocaleString()} rows  ${rate.toLocaleString()} rows/s${eta}`;
    process.stderr.write(tty ? `\r${text}\x1b[K${final ? '\n' : ''}` : `${text}\n`);
  };
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
      draw();
      done(null, chunk);
    },
  });
  return { counter, finish: () => draw(true), seconds: () => (performance.now() - started) / 1000 };
}

let size: number;
try {
  size = statSync(file).size;
} catch {
  fail(`cannot read ${file}`);
}
const auth = await credentials(TOOL);
const id = await datasetId(auth, args.dataset!);
const query = new URLSearchParams();
if (args.delimiter) query.set('delimiter', args.delimiter);
if (args.quote) query.set('quote', args.quote);
if (args.encoding) query.set('encoding', args.encoding.toUpperCase());
if (args['no-header']) query.set('header', 'false');
if (args['null-tokens']) query.set('nullTokens', args['null-tokens']);
if (args['on-type-error']) query.set('onTypeError', args['on-type-error'].toUpperCase());

const bar = progress(size);
const body = Readable.toWeb(createReadStream(file).pipe(bar.counter)) as ReadableStream;
const res = await fetch(`${base}/api/datasets/${id}/csv?${query}`, {
  method: 'POST',
  headers: { 'content-type': 'text/csv', 'content-length': String(size), 'x-file-name': path.basename(file), ...auth },
  body,
  duplex: 'half',
} as RequestInit);
bar.finish();
const result = (await res.json()) as {
  number?: number;
  rowCount?: number;
  columns?: Array<{ name: string; type: string }>;
  typeErrorsAsNull?: number;
  errors?: Array<{ message: string }>;
};
if (!res.ok) fail(result.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`);
const seconds = bar.seconds();
process.stdout.write(
  `"${args.dataset}" version ${result.number}: ${result.rowCount!.toLocaleString()} rows in ${seconds.toFixed(1)} s ` +
    `(${Math.round(result.rowCount! / seconds).toLocaleString()} rows/s)\n` +
    `columns: ${result.columns!.map((c) => `${c.name} ${c.type}`).join(', ')}\n` +
    (result.typeErrorsAsNull ? `${result.typeErrorsAsNull} value(s) that broke their column's type were loaded as NULL\n` : ''),
);
