// What every subgraph's `server.ts` builds: its schema and a per-request context factory. The
// gateway runs it in-process (single host) or a `main.ts` serves it over HTTP (distributed).
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { SubgraphName } from '../config.js';
import type { BaseContext, RequestInfo } from '../context.js';
import type { Runtime } from '../runtime.js';
import { scalarResolvers } from './scalars.js';

/** A reference to an entity another subgraph owns: resolved by the gateway through federation. */
export interface EntityRef {
  __typename?: string;
  id: string;
}

export interface SubgraphService<C extends BaseContext = BaseContext> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  schema: GraphQLSchema;
  /** Builds one request's context (with fresh DataLoaders) for the caller. */
  createContext(request: RequestInfo): C;
}

export function loadTypeDefs(schemaFile: URL): DocumentNode {
  return parse(readFileSync(schemaFile, 'utf8'));
}

/** Builds a subgraph from its SDL and resolvers; the DateTime and JSON scalars are added here. */
export function defineSubgraph<C extends BaseContext>(options: {
  name: SubgraphName;
  schemaFile: URL;
  resolvers: object;
  createContext: (request: RequestInfo) => C;
}): SubgraphService<C> {
  const typeDefs = loadTypeDefs(options.schemaFile);
  // The generated resolver types are stricter than @apollo/subgraph's loose resolver map.
  const module = { typeDefs, resolvers: { ...scalarResolvers, ...options.resolvers } };
  const schema = buildSubgraphSchema(module as Parameters<typeof buildSubgraphSchema>[0]);
  return { name: options.name, typeDefs, schema, createContext: options.createContext };
}

/** The base context fields every subgraph context starts from. */
export function baseContext(runtime: Runtime, request: RequestInfo): BaseContext {
  return {
    ...request,
    config: runtime.config,
    logger: runtime.logger.child({ requestId: request.requestId }),
    prisma: runtime.prisma,
    pool: runtime.pool,
    redis: runtime.redis,
  };
}
