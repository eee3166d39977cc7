import type { Identity } from '../lib/auth/identity.js';

/** One request's context in the gateway. */
export interface GatewayContext {
  identity: Identity | null;
  requestId: string;
  /** The client's address (behind TRUST_PROXY proxies, the one they name): rate limits key on it. */
  ip: string;
  /**
   * In-process subgraphs' contexts for this request, by subgraph name: one per subgraph per
   * request, so their DataLoaders batch across all the fetches of one query plan.
   */
  subgraphContexts: Map<string, unknown>;
  /** Set when the operation came from the persisted list (`documentId`, or a registered APQ hash). */
  persisted?: { id: string; name: string };
}
