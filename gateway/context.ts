import type { Identity } from '../lib/auth/identity.js';

/** One request's context in the gateway. */
export interface GatewayContext {
  identity: Identity | null;
  requestId: string;
  /**
   * In-process subgraphs' contexts for this request, by subgraph name: one per subgraph per
   * request, so their DataLoaders batch across all the fetches of one query plan.
   */
  subgraphContexts: Map<string, unknown>;
  /** Set when the operation came by `documentId` from the persisted list. */
  persisted?: { id: string; name: string };
}
