import { runSubgraphProcess } from '../../lib/graphql/subgraphProcess.js';
import { createTemplatesSubgraph } from './server.js';

await runSubgraphProcess('templates', createTemplatesSubgraph);
