import { runSubgraphProcess } from '../../lib/graphql/subgraphProcess.js';
import { createDatasetsSubgraph } from './server.js';

await runSubgraphProcess('datasets', createDatasetsSubgraph);
