// Ingest of a generated 1,000,000-row, 8-column CSV through POST /api/datasets/:id/csv (streamed
// through the gateway, type inference, COPY, profiling, version switch), against psql's
// `\copy ... from file csv header` of the same file into a table of the same shape.
//   npm run bench:ingest [-- rows]
import { execFileSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { CSV_COLUMNS, generatedCsv, graphql, median, scratchDatabase, startStack } from './support.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const file = await generatedCsv(rows);
const db = await scratchDatabase('rg_bench_ingest');
const stack = await startStack(db.url);
const mb = statSync(file).size / 1024 / 1024;
console.log(`ingest: ${rows.toLocaleString()} rows × 8 columns, ${mb.toFixed(0)} MiB, ${rounds} rounds each, alternating`);

/** Seconds until the upload answered (rows queryable), and until the version's profile was stored. */
async function viaEndpoint(): Promise<{ queryable: number; profiled: number }> {
  const { createDataset } = await graphql(stack.url, stack.token, 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', {
    n: `bench ${Date.now()}`,
  });
  const t0 = performance.now();
  const res = await fetch(`${stack.url}/api/datasets/${createDataset.id}/csv`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${stack.token}` },
    body: createReadStream(file) as unknown as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await res.json()) as { id?: string; rowCount?: number };
  const queryable = (performance.now() - t0) / 1000;
  if (res.status !== 201 || body.rowCount !== rows) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  for (;;) {
    const v = await stack.runtime.prisma.datasetVersion.findUniqueOrThrow({ where: { id: body.id! }, select: { profiledAt: true } });
    if (v.profiledAt) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { queryable, profiled: (performance.now() - t0) / 1000 };
}

function viaPsql(round: number): number {
  const table = `psql_copy_${round}`;
  execFileSync('psql', [db.url, '-q', '-c', `CREATE TABLE ${table} (${CSV_COLUMNS})`]);
  const t0 = performance.now();
  execFileSync('psql', [db.url, '-q', '-c', `\\copy ${table} from '${file}' csv header`]);
  return (performance.now() - t0) / 1000;
}

const ours: number[] = [];
const withProfile: number[] = [];
const psql: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    psql.push(viaPsql(round));
    const t = await viaEndpoint();
    ours.push(t.queryable);
    withProfile.push(t.profiled);
    console.log(
      `  round ${round + 1}: endpoint ${t.queryable.toFixed(2)} s (profile stored at ${t.profiled.toFixed(2)} s), psql \\copy ${psql.at(-1)!.toFixed(2)} s`,
    );
  }
  const oursRate = rows / median(ours);
  const psqlRate = rows / median(psql);
  console.log(`endpoint: ${Math.round(oursRate).toLocaleString()} rows/s (median)`);
  console.log(`psql \\copy: ${Math.round(psqlRate).toLocaleString()} rows/s (median)`);
  console.log(`ratio endpoint / psql: ${(oursRate / psqlRate).toFixed(2)}x (target >= 0.7x)`);
  const profiledRate = rows / median(withProfile);
  console.log(
    `including the column profile (stored just after the answer): ${Math.round(profiledRate).toLocaleString()} rows/s, ${(profiledRate / psqlRate).toFixed(2)}x psql`,
  );
} finally {
  await stack.stop();
  await db.drop();
}
