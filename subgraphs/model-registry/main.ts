import { runSubgraphProcess } from '../../lib/graphql/subgraphProcess.js';
import { createModelRegistrySubgraph } from './server.js';

await runSubgraphProcess('model-registry', createModelRegistrySubgraph);
