// A hot report (from the hot-report cache in Redis) through the gateway against a bare Node HTTP
// server in its own process answering the same JSON body: requests/s and p99 with 32 concurrent
// clients. Two ways in: an ad-hoc document, and the same document persisted, sent by id as the web
// app and BI tools send it. The report varies its parameter per request over 3 regions + all.
// The three alternate over rounds, each round in another order (the machine's speed drifts: a
// baseline measured last reads the drift as a ratio); medians, and each round's ratios.
//   npm run bench:report            (BENCH_SECONDS, BENCH_ROUNDS, default 3)
import { spawn, type ChildProcess } from 'node:child_process';
import { createVersionFromRows } from '../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../prisma/seed.js';
import { graphql, load, median, scratchDatabase, startStack } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;

const db = await scratchDatabase('rg_bench_report');
let bare: ChildProcess | undefined;
const stack = await startStack(db.url);
try {
  const { createDataset } = await graphql(stack.url, stack.token, 'mutation { createDataset(input: { name: "sales" }) { id } }');
  await createVersionFromRows(stack.runtime.pool, null, createDataset.id, { ...demoSalesRows(), sourceKind: 'CSV' });
  const { createTemplate } = await graphql(
    stack.url,
    stack.token,
    'mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }',
    {
      i: { name: 'Revenue', datasetId: createDataset.id, parameters: [{ name: 'region', type: 'STRING' }], sections: demoSections },
    },
  );
  // Answers read from tables written a moment ago are not stored until they settle (5 s; see
  // SETTLE_MS_OF_TYPE in gateway/plugins/responseCache.ts): start measuring after that.
  await new Promise((r) => setTimeout(r, 5_100));
  const regions = [null, 'North', 'South', 'East'];
  const bodies = regions.map((region) =>
    JSON.stringify({
      query: 'query($t: ID!, $p: JSON) { report(templateId: $t, params: $p) { cached sections } }',
      variables: { t: createTemplate.id, p: { region } },
    }),
  );
  // Warm the cache for every parameter value.
  for (const body of bodies)
    await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
      body,
    });
  const sample = await (
    await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
      body: bodies[0],
    })
  ).text();

  bare = spawn(
    process.execPath,
    [
      '-e',
      `const http=require('http');const b=Buffer.from(process.env.BODY);
http.createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b);});}).listen(0,'127.0.0.1',function(){console.log(this.address().port)});`,
    ],
    { env: { ...process.env, BODY: sample }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const barePort = await new Promise<string>((resolve) => bare!.stdout!.once('data', (d) => resolve(String(d).trim())));

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` };
  // The same document, persisted: clients send its id.
  const document = (JSON.parse(bodies[0]!) as { query: string }).query;
  const { registerPersistedOperation } = await graphql(
    stack.url,
    stack.token,
    'mutation($d: String!) { registerPersistedOperation(name: "hot_report", document: $d) { id } }',
    { d: document },
  );
  const persistedBodies = bodies.map((b) =>
    JSON.stringify({ documentId: registerPersistedOperation.id, variables: (JSON.parse(b) as { variables: unknown }).variables }),
  );
  for (const body of persistedBodies) await fetch(`${stack.url}/graphql`, { method: 'POST', headers, body });

  type Run = Awaited<ReturnType<typeof load>>;
  const ways: Array<{ name: string; run: () => Promise<Run>; runs: Run[] }> = [
    {
      name: 'gateway, ad-hoc document',
      run: () => load(`${stack.url}/graphql`, bodies, headers, CONNECTIONS, SECONDS, '"cached":true'),
      runs: [],
    },
    {
      name: 'gateway, persisted document (by id)',
      run: () => load(`${stack.url}/graphql`, persistedBodies, headers, CONNECTIONS, SECONDS, '"cached":true'),
      runs: [],
    },
    {
      name: 'bare Node server, same body',
      run: () => load(`http://127.0.0.1:${barePort}/`, [bodies[0]!], { 'content-type': 'application/json' }, CONNECTIONS, SECONDS),
      runs: [],
    },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < ways.length; k++) {
      const way = ways[(round + k) % ways.length]!;
      const from = process.hrtime.bigint() / 1000n;
      way.runs.push(await way.run());
      if (process.env.BENCH_PROFILE) console.log(`profile window, ${way.name} (µs, monotonic): ${from} ${process.hrtime.bigint() / 1000n}`);
    }
  }
  const [adHoc, persisted, baseline] = ways;
  console.log(`hot report (${sample.length} bytes), ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds, medians`);
  for (const way of ways) {
    const errors = way.runs.reduce((n, r) => n + (r.errors ?? 0), 0);
    console.log(
      `  ${way.name.padEnd(44)} ${Math.round(median(way.runs.map((r) => r.rps)))
        .toLocaleString()
        .padStart(
          7,
        )} req/s, p99 ${median(way.runs.map((r) => r.p99)).toFixed(1)} ms${errors ? `, ${errors} errors (first: ${way.runs.find((r) => r.firstError)?.firstError})` : ''}`,
    );
  }
  const ratio = (a: Run[], b: Run[]) => median(a.map((r) => r.rps)) / median(b.map((r) => r.rps));
  const perRound = (a: Run[]) => a.map((r, i) => (r.rps / baseline!.runs[i]!.rps).toFixed(2)).join(', ');
  console.log(
    `  ratio ad-hoc / bare: ${ratio(adHoc!.runs, baseline!.runs).toFixed(2)}x req/s (rounds ${perRound(adHoc!.runs)}); persisted / bare: ${ratio(persisted!.runs, baseline!.runs).toFixed(2)}x req/s (rounds ${perRound(persisted!.runs)})`,
  );
} finally {
  bare?.kill();
  await stack.stop();
  await db.drop();
}
