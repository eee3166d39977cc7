// Report exports: a 100,000-row table section streamed as CSV and as XLSX through the gateway —
// time to the last byte, size, and how much the process's memory grows while it streams (sampled
// every 10 ms; a buffered export would grow by about the file's size) — against PostgreSQL's own
// `COPY (same query) TO STDOUT CSV` read over the same connection pool. Then the demo report as
// PDF: the first (starting the pooled browser), warm ones (median), against a browser started and
// closed for each print, the cost the pool saves.
//   npm run bench:exports [-- rows]
import { createReadStream } from 'node:fs';
import { to as copyTo } from 'pg-copy-streams';
import { chromium } from 'playwright-core';
import { compileQuery } from '../lib/datasets/query.js';
import { createVersionFromRows } from '../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../prisma/seed.js';
import { CHROMIUM_FLAGS } from '../subgraphs/templates/export/printer.js';
import { generatedCsv, graphql, median, scratchDatabase, startStack } from './support.js';

const rows = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const MiB = 1024 * 1024;

const db = await scratchDatabase('rg_bench_exports');
const stack = await startStack(db.url);
const auth = { authorization: `Bearer ${stack.token}` };

/** Uploads the generated CSV as a dataset; answers its id. */
async function dataset(name: string, file: string): Promise<string> {
  const { createDataset } = await graphql(stack.url, stack.token, 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', {
    n: name,
  });
  const res = await fetch(`${stack.url}/api/datasets/${createDataset.id}/csv`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...auth },
    body: createReadStream(file) as unknown as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return createDataset.id;
}

const TABLE = {
  dimensions: ['id', 'day', 'category', 'region'],
  measures: [
    { column: 'amount', agg: 'SUM' },
    { column: 'qty', agg: 'SUM' },
  ],
};

/**
 * Downloads `path`, reading as it arrives; time, bytes, and the process's memory growth meanwhile:
 * peak RSS, and peak live memory (heap, buffers) — with `retained`, measured after a full GC every
 * 200 ms, which slows the download but tells what the export holds from what it has let go.
 */
async function download(path: string, { retained = false } = {}) {
  gc();
  const live = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const base = live();
  let peakHeap = base;
  const sampler = setInterval(
    () => {
      if (retained) gc();
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      peakHeap = Math.max(peakHeap, live());
    },
    retained ? 200 : 10,
  );
  const t0 = performance.now();
  const res = await fetch(`${stack.url}${path}`, { headers: auth });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  return {
    seconds,
    bytes,
    rssGrowth: peakRss - before.rss,
    heapGrowth: peakHeap - (before.heapUsed + before.external + before.arrayBuffers),
  };
}

/** The same query's rows straight from PostgreSQL: COPY (...) TO STDOUT CSV, bytes counted. */
async function copyBaseline(datasetId: string) {
  const version = await stack.runtime.prisma.datasetVersion.findFirstOrThrow({
    where: { datasetId },
    include: { columns: { orderBy: { position: 'asc' } } },
  });
  const compiled = compileQuery(version.tableName, version.columns, TABLE as never, { maxRows: rows * 10 });
  // COPY takes no bind parameters: the one parameter (the row limit) is a number the bench chose.
  const sql = compiled.sql.replace(/\$1\b/, String(compiled.params[0]));
  const client = await stack.runtime.queryPool.connect();
  try {
    const t0 = performance.now();
    let bytes = 0;
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`));
    for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length;
    return { seconds: (performance.now() - t0) / 1000, bytes };
  } finally {
    client.release();
  }
}

const fmt = (r: { seconds: number; bytes: number }) => `${r.seconds.toFixed(2)} s, ${(r.bytes / MiB).toFixed(1)} MiB`;
const mem = (r: { rssGrowth: number }) => `RSS +${(r.rssGrowth / MiB).toFixed(0)} MiB`;

try {
  const file = await generatedCsv(rows);
  console.log(`exports: a ${rows.toLocaleString()}-row table section (4 dimensions, 2 measures), ${rounds} rounds each`);
  const datasetId = await dataset('bench orders', file);
  const { createTemplate } = await graphql(
    stack.url,
    stack.token,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    {
      i: {
        name: 'Orders',
        datasetId,
        sections: [
          { id: 'total', kind: 'KPI', title: 'Amount', query: { measures: [{ column: 'amount', agg: 'SUM' }] } },
          { id: 'orders', kind: 'TABLE', title: 'Every order', query: TABLE },
        ],
      },
    },
  );
  const csvPath = `/api/reports/${createTemplate.id}/export.csv?section=orders`;
  const xlsxPath = `/api/reports/${createTemplate.id}/export.xlsx`;
  const results = { copy: [] as number[], csv: [] as number[], xlsx: [] as number[] };
  let last: Record<string, Awaited<ReturnType<typeof download>>> = {};
  let copyBytes = 0;
  for (let round = 0; round < rounds; round++) {
    const copy = await copyBaseline(datasetId);
    const csv = await download(csvPath);
    const xlsx = await download(xlsxPath);
    results.copy.push(copy.seconds);
    results.csv.push(csv.seconds);
    results.xlsx.push(xlsx.seconds);
    copyBytes = copy.bytes;
    last = { csv, xlsx };
    console.log(`  round ${round + 1}: COPY ${fmt(copy)} | CSV ${fmt(csv)}, ${mem(csv)} | XLSX ${fmt(xlsx)}, ${mem(xlsx)}`);
  }
  const [copy, csv, xlsx] = [median(results.copy), median(results.csv), median(results.xlsx)];
  console.log(
    `  median: COPY ${copy.toFixed(2)} s (${(copyBytes / MiB).toFixed(1)} MiB), CSV export ${csv.toFixed(2)} s, XLSX export ${xlsx.toFixed(2)} s`,
  );
  console.log(`  CSV export / COPY: ${(csv / copy).toFixed(2)}x the time; XLSX export / CSV export: ${(xlsx / csv).toFixed(2)}x`);
  // What the exports hold while streaming, after garbage is collected, at 1x and 4x the rows.
  const held = async (path: string) => ((await download(path, { retained: true })).heapGrowth / MiB).toFixed(1);
  const bigger = await graphql(stack.url, stack.token, 'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }', {
    i: {
      name: 'Orders x4',
      datasetId,
      sections: [0, 1, 2, 3].map((i) => ({ id: `t${i}`, kind: 'TABLE', title: `Orders ${i}`, query: TABLE })),
    },
  });
  const [csvHeld, xlsxHeld] = [await held(csvPath), await held(xlsxPath)];
  const xlsx4Held = await held(`/api/reports/${bigger.createTemplate.id}/export.xlsx`);
  const csv4Held = await held(`/api/reports/${bigger.createTemplate.id}/export.csv`);
  console.log(
    `  live memory held while streaming (after GC; RSS above includes garbage not yet collected): CSV +${csvHeld} MiB (${rows.toLocaleString()} rows) / +${csv4Held} MiB (4x the rows); XLSX +${xlsxHeld} MiB / +${xlsx4Held} MiB; files ${(last.csv!.bytes / MiB).toFixed(1)} and ${(last.xlsx!.bytes / MiB).toFixed(1)} MiB`,
  );

  // The demo report as PDF.
  const { createDataset } = await graphql(stack.url, stack.token, 'mutation { createDataset(input: { name: "Monthly sales" }) { id } }');
  await createVersionFromRows(stack.runtime.pool, null, createDataset.id, { ...demoSalesRows(), sourceKind: 'CSV' });
  const demo = await graphql(stack.url, stack.token, 'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }', {
    i: {
      name: 'Monthly revenue report',
      datasetId: createDataset.id,
      parameters: [{ name: 'region', type: 'STRING' }],
      sections: demoSections,
    },
  });
  const pdfPath = `/api/reports/${demo.createTemplate.id}/export.pdf`;
  const first = await download(pdfPath);
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) warm.push((await download(pdfPath)).seconds);
  // What the pool saves: the same print page printed by a browser started and closed for it.
  const link = await graphql(stack.url, stack.token, 'mutation($t: ID!) { createSnapshotLink(templateId: $t) { url } }', {
    t: demo.createTemplate.id,
  });
  const html = await (await fetch(`${stack.url}${new URL(link.createSnapshotLink.url).pathname}/print`)).text();
  const perPrint: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const browser = await chromium.launch({ executablePath: stack.runtime.config.reports.pdf.chromiumPath, args: CHROMIUM_FLAGS });
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await page.setContent(html);
    await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    await browser.close();
    perPrint.push((performance.now() - t0) / 1000);
  }
  console.log(
    `pdf: the demo report, ${(first.bytes / 1024).toFixed(0)} KiB: first ${first.seconds.toFixed(2)} s (starts the browser), warm median ${median(warm).toFixed(2)} s over 10 (through the gateway, report from the hot cache); the same page printed by a browser started for it ${median(perPrint).toFixed(2)} s (${(median(perPrint) / median(warm)).toFixed(2)}x)`,
  );
} finally {
  await stack.stop();
  await db.drop();
}
