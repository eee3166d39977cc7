// A hot report (served from the cache) through the gateway against a bare Node HTTP server in its
// own process answering the same JSON body: requests/s and p99 with 32 concurrent clients.
// The report varies its parameter per request over 3 regions + all (dedup cannot flatter it).
//   npm run bench:report
import { spawn } from 'node:child_process';
import { createVersionFromRows } from '../lib/datasets/tables.js';
import { demoSalesRows, demoSections } from '../prisma/seed.js';
import { graphql, scratchDatabase, startStack } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

/** Runs the load generator in a child process against `url`. */
function load(
  url: string,
  bodies: string[],
  headers: Record<string, string>,
  mustContain?: string,
): Promise<{ rps: number; p99: number; errors: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./loadClient.ts', import.meta.url).pathname,
      JSON.stringify({ url, bodies, headers, seconds: SECONDS, connections: CONNECTIONS, expect: mustContain }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`)))),
  );
}

const db = await scratchDatabase('rg_bench_report');
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

  const bare = spawn(
    process.execPath,
    [
      '-e',
      `const http=require('http');const b=Buffer.from(process.env.BODY);
http.createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b);});}).listen(0,'127.0.0.1',function(){console.log(this.address().port)});`,
    ],
    { env: { ...process.env, BODY: sample }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const barePort = await new Promise<string>((resolve) => bare.stdout!.once('data', (d) => resolve(String(d).trim())));

  const gateway = await load(
    `${stack.url}/graphql`,
    bodies,
    { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
    '"cached":true',
  );
  const baseline = await load(`http://127.0.0.1:${barePort}/`, [bodies[0]!], { 'content-type': 'application/json' });
  bare.kill();
  console.log(`hot report (${sample.length} bytes), ${CONNECTIONS} connections, ${SECONDS} s each`);
  console.log(
    `  gateway, cached report: ${Math.round(gateway.rps).toLocaleString()} req/s, p99 ${gateway.p99.toFixed(1)} ms, ${gateway.errors} errors`,
  );
  console.log(`  bare Node server, same body: ${Math.round(baseline.rps).toLocaleString()} req/s, p99 ${baseline.p99.toFixed(1)} ms`);
  console.log(`  ratio gateway / bare: ${(gateway.rps / baseline.rps).toFixed(2)}x req/s`);
} finally {
  await stack.stop();
  await db.drop();
}
