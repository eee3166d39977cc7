// The distributed topology with one subgraph process stopped: the gateway (here in the test's
// process, over HTTP to every subgraph) answers what the others serve, marks the missing part
// SUBGRAPH_UNAVAILABLE with the subgraph's name, stays ready, and serves it all again once the
// process is back — without a restart of its own.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaseContext } from '../../lib/context.js';
import { serveSubgraph, type RunningServer } from '../../lib/graphql/serveSubgraph.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { createGatewayServer, type GatewayServer } from '../../gateway/server.js';
import { remoteEndpoints } from '../../gateway/topology/distributed.js';
import { createDatasetsSubgraph } from '../../subgraphs/datasets/server.js';
import { createModelRegistrySubgraph } from '../../subgraphs/model-registry/server.js';
import { createTemplatesSubgraph } from '../../subgraphs/templates/server.js';
import { freePort, startProcess, waitForOk, type RunningProcess } from '../support/processes.js';
import { codes, gql, newDataset, testConfig, testEnv, userWithRole } from '../support/stack.js';
import { waitUntil } from './services.js';

let runtime: Runtime;
let gateway: GatewayServer;
let url: string;
const servers: RunningServer[] = [];
let insights: RunningProcess | null = null;
let env: Record<string, string>;
let token: string;
let datasetId: string;
let jobId: string;

function startInsights(): RunningProcess {
  insights = startProcess('subgraphs/insights/main.ts', [], testEnv({ ...env, LOG_LEVEL: 'warn' }));
  return insights;
}

beforeAll(async () => {
  const ports = await Promise.all([1, 2, 3, 4].map(() => freePort()));
  const urls = {
    TEMPLATES_URL: `http://127.0.0.1:${ports[0]}/graphql`,
    DATASETS_URL: `http://127.0.0.1:${ports[1]}/graphql`,
    INSIGHTS_URL: `http://127.0.0.1:${ports[2]}/graphql`,
    MODEL_REGISTRY_URL: `http://127.0.0.1:${ports[3]}/graphql`,
  };
  env = { ...urls, REDIS_KEY_PREFIX: `${testEnv().REDIS_KEY_PREFIX}${randomBytes(3).toString('hex')}:` };
  const config = testConfig(env);
  runtime = createRuntime(config);
  const proc = startInsights();
  const local: Array<[(r: Runtime) => unknown, number]> = [
    [createTemplatesSubgraph, ports[0]!],
    [createDatasetsSubgraph, ports[1]!],
    [createModelRegistrySubgraph, ports[3]!],
  ];
  for (const [create, port] of local) {
    servers.push(await serveSubgraph(create(runtime) as SubgraphService<BaseContext>, runtime, { host: '127.0.0.1', port }));
  }
  await waitForOk(new URL('/readyz', urls.INSIGHTS_URL).toString(), proc);
  gateway = await createGatewayServer(runtime, await remoteEndpoints(config, runtime.logger));
  url = await gateway.listen('127.0.0.1', 0);
  const analyst = await userWithRole({ runtime, url, stop: async () => {} }, 'ANALYST');
  token = analyst.token;
  datasetId = await newDataset({ runtime, url, stop: async () => {} }, token, 'ops-subgraphs');
  jobId = (await runtime.prisma.analysisJob.create({ data: { datasetId, column: 'x', kinds: ['TREND'], createdById: analyst.id } })).id;
}, 120_000);

afterAll(async () => {
  await insights?.stop();
  await gateway?.stop();
  for (const server of servers) await server.close();
  await runtime?.close();
});

const BOTH = 'query($id: ID!) { datasets { id name } analysisJob(id: $id) { id status } }';
const OTHERS = '{ datasets { id name } templates { id } models { name } }';

describe('a subgraph process stopped', () => {
  it('answers partial data with SUBGRAPH_UNAVAILABLE, leaves other queries alone, and recovers without a gateway restart', async () => {
    const before = await gql(url, BOTH, { id: jobId }, token);
    expect(before.errors).toBeUndefined();
    expect(before.data!.analysisJob).toEqual({ id: jobId, status: 'QUEUED' });

    await insights!.stop(); // SIGTERM: the process drains and exits
    const down = await gql(url, BOTH, { id: jobId }, token);
    expect(down.status).toBe(200);
    expect(down.data!.datasets.map((d: { id: string }) => d.id)).toContain(datasetId);
    expect(down.data!.analysisJob).toBeNull();
    expect(down.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('insights'),
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'insights' },
      }),
    ]);
    // A mutation that needs it says so the same way.
    const run = await gql(
      url,
      'mutation($i: RunAnalysisInput!) { runAnalysis(input: $i) { id } }',
      { i: { datasetId, column: 'x', kinds: ['TREND'] } },
      token,
    );
    expect(codes(run)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    // Queries that do not touch it are unaffected, and the gateway stays ready (degraded).
    const others = await gql(url, OTHERS, {}, token);
    expect(others.errors).toBeUndefined();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { insights: { ok: false } } });

    const t0 = performance.now();
    startInsights();
    const back = await waitUntil('the insights part back', async () => !(await gql(url, BOTH, { id: jobId }, token)).errors, 60_000, 100);
    console.log(`insights subgraph restarted → the gateway answers its part again after ${Math.round(back)} ms (process start included)`);
    expect((await gql(url, BOTH, { id: jobId }, token)).data!.analysisJob).toEqual({ id: jobId, status: 'QUEUED' });
    expect(((await (await fetch(`${url}/readyz`)).json()) as { status: string }).status).toBe('ready');
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 120_000);
});
