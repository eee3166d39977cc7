// The templates subgraph served over HTTP as the distributed topology serves it, with a template
// of its own to read: for tests that call a subgraph port as the gateway (or an attacker) would.
import { serveSubgraph } from '../../lib/graphql/serveSubgraph.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import { createRuntime } from '../../lib/runtime.js';
import { createTemplatesSubgraph } from '../../subgraphs/templates/server.js';
import { testConfig } from './stack.js';

export async function serveTemplates(label: string) {
  const runtime = createRuntime(testConfig({ REPORT_SCHEDULER_INTERVAL_SECONDS: '0' }));
  const subgraph = await serveSubgraph(createTemplatesSubgraph(runtime) as unknown as SubgraphService, runtime, {
    host: '127.0.0.1',
    port: 0,
  });
  const dataset = await runtime.prisma.dataset.create({ data: { name: `${label} ${Date.now()}` } });
  const template = await runtime.prisma.reportTemplate.create({
    data: { name: `${label} template`, datasetId: dataset.id, parameters: [], sections: [] },
  });
  return {
    runtime,
    url: subgraph.url,
    templateId: template.id,
    async close() {
      await subgraph.close();
      await runtime.close();
    },
  };
}

export type ServedTemplates = Awaited<ReturnType<typeof serveTemplates>>;
