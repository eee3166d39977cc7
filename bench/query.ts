// datasetQuery through the gateway (group by one dimension and a month bucket, two measures) on
// the 1,000,000-row table, against the same SQL statement sent directly with pg.
//   npm run bench:query [-- rows]
import { createReadStream } from 'node:fs';
import pg from 'pg';
import { compileQuery } from '../lib/datasets/query.js';
import { generatedCsv, graphql, median, scratchDatabase, startStack } from './support.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 20);
const file = await generatedCsv(rows);
const db = await scratchDatabase('rg_bench_query');
const stack = await startStack(db.url);
const direct = new pg.Pool({ connectionString: db.url, max: 2 });

try {
  const { createDataset } = await graphql(stack.url, stack.token, 'mutation { createDataset(input: { name: "bench" }) { id } }');
  const datasetId = createDataset.id as string;
  const res = await fetch(`${stack.url}/api/datasets/${datasetId}/csv`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${stack.token}` },
    body: createReadStream(file) as unknown as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 201) throw new Error(`upload failed: ${await res.text()}`);
  const spec = {
    dimensions: ['category'],
    timeBucket: { column: 'day', unit: 'MONTH' as const },
    measures: [
      { column: 'amount', agg: 'SUM' as const },
      { column: 'qty', agg: 'AVG' as const },
    ],
  };
  const version = await stack.runtime.prisma.datasetVersion.findFirstOrThrow({ where: { datasetId }, include: { columns: true } });
  const compiled = compileQuery(version.tableName, version.columns, spec, { maxRows: stack.runtime.config.datasets.queryMaxRows });
  const query = 'query($i: DatasetQueryInput!) { datasetQuery(input: $i) { rowCount rows } }';

  const viaGateway = async () => {
    const t0 = performance.now();
    const data = await graphql(stack.url, stack.token, query, { i: { datasetId, ...spec } });
    return { ms: performance.now() - t0, rows: data.datasetQuery.rowCount as number };
  };
  const viaPg = async () => {
    const t0 = performance.now();
    const r = await direct.query({ text: compiled.sql, values: compiled.params, rowMode: 'array' });
    return { ms: performance.now() - t0, rows: r.rowCount ?? 0 };
  };
  await viaGateway();
  await viaPg(); // warm both
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = await viaGateway();
    const b = await viaPg();
    if (a.rows !== b.rows) throw new Error(`row counts differ: ${a.rows} vs ${b.rows}`);
    ours.push(a.ms);
    raw.push(b.ms);
  }
  console.log(
    `datasetQuery on ${rows.toLocaleString()} rows: group by category × month, SUM(amount), AVG(qty); ${ours.length} runs each, alternating`,
  );
  console.log(`SQL: ${compiled.sql}`);
  console.log(`through the gateway: median ${median(ours).toFixed(1)} ms`);
  console.log(`same SQL with pg:    median ${median(raw).toFixed(1)} ms`);
  console.log(`ratio gateway / pg: ${(median(ours) / median(raw)).toFixed(2)}x latency (target <= 1.2x)`);
} finally {
  await direct.end();
  await stack.stop();
  await db.drop();
}
