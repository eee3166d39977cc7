// Single host: the four subgraphs run inside the gateway's process and are called directly.
import type { BaseContext } from '../../lib/context.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { Runtime } from '../../lib/runtime.js';
import { createDatasetsSubgraph } from '../../subgraphs/datasets/server.js';
import { createInsightsSubgraph } from '../../subgraphs/insights/server.js';
import { createModelRegistrySubgraph } from '../../subgraphs/model-registry/server.js';
import { createTemplatesSubgraph } from '../../subgraphs/templates/server.js';
import { InProcessDataSource } from '../dataSources/inProcess.js';
import type { SubgraphEndpoint } from '../server.js';

export function inProcessEndpoints(runtime: Runtime): SubgraphEndpoint[] {
  const services = [
    createTemplatesSubgraph(runtime),
    createDatasetsSubgraph(runtime),
    createInsightsSubgraph(runtime),
    createModelRegistrySubgraph(runtime),
  ] as unknown as SubgraphService<BaseContext>[];
  const exposeDetails = !runtime.config.isProduction;
  return services.map((service) => ({
    definition: { name: service.name, url: `in-process://${service.name}`, typeDefs: service.typeDefs },
    dataSource: new InProcessDataSource(service, { logger: runtime.logger, exposeDetails }),
    check: async () => ({ ok: true, ms: 0 }),
    http: service.http,
  }));
}
