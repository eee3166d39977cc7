import { runSubgraphProcess } from '../../lib/graphql/subgraphProcess.js';
import { createInsightsSubgraph } from './server.js';

await runSubgraphProcess('insights', createInsightsSubgraph);
