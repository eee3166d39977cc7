// What every subgraph's `server.ts` builds: its schema and a per-request context factory. The
// gateway runs it in-process (single host) or a `main.ts` serves it over HTTP (distributed).
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Request, Router } from 'express';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Identity } from '../auth/identity.js';
import type { SubgraphName } from '../config.js';
import type { BaseContext, RequestInfo } from '../context.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { scalarResolvers } from './scalars.js';

/** A reference to an entity another subgraph owns: resolved by the gateway through federation. */
export interface EntityRef {
  __typename?: string;
  id: string;
}

/**
 * What a subgraph does beside answering requests. Building a subgraph starts nothing: the process
 * that serves it calls `start` once it is listening and `stop` when it shuts down.
 */
export interface SubgraphLifecycle {
  /** Starts background work: timers, listeners, work left unfinished by a stopped process. */
  start?(): Promise<void> | void;
  /** Stops what `start` began and closes what requests opened (queues, engines). */
  stop?(): Promise<void>;
  /** Throws when something the subgraph needs besides PostgreSQL and Redis is not working (readiness). */
  ready?(): Promise<void>;
}

export interface SubgraphService<C extends BaseContext = BaseContext> extends SubgraphLifecycle {
  name: SubgraphName;
  typeDefs: DocumentNode;
  schema: GraphQLSchema;
  /** Builds one request's context (with fresh DataLoaders) for the caller. */
  createContext(request: RequestInfo): C;
  /** Plain HTTP routes beside GraphQL (streamed uploads); `identify` says who is calling. */
  http?: (identify: IdentifyRequest) => Router;
}

/** How an HTTP route learns its caller: the gateway's authentication, or its signed header. */
export type IdentifyRequest = (req: Request) => Promise<Identity | null>;

export function loadTypeDefs(schemaFile: URL): DocumentNode {
  return parse(readFileSync(schemaFile, 'utf8'));
}

/** Builds a subgraph from its SDL and resolvers; the DateTime and JSON scalars are added here. */
export function defineSubgraph<C extends BaseContext>({
  schemaFile,
  resolvers,
  ...service
}: SubgraphLifecycle & {
  name: SubgraphName;
  schemaFile: URL;
  resolvers: object;
  createContext: (request: RequestInfo) => C;
  http?: (identify: IdentifyRequest) => Router;
}): SubgraphService<C> {
  const typeDefs = loadTypeDefs(schemaFile);
  // The generated resolver types are stricter than @apollo/subgraph's loose resolver map.
  const module = { typeDefs, resolvers: { ...scalarResolvers, ...resolvers } };
  const schema = buildSubgraphSchema(module as Parameters<typeof buildSubgraphSchema>[0]);
  return { ...service, typeDefs, schema };
}

/**
 * A subgraph's context: the base fields every one has, then its own (`extra`). The request's
 * logger is made when a resolver first logs: most requests never do, and a child logger costs
 * its bindings' serialisation. (Spreading the result would make it at once: extend it here.)
 */
export function baseContext<E extends object>(runtime: Runtime, request: RequestInfo, extra: E): BaseContext & E {
  let logger: Logger | undefined;
  const base: BaseContext = {
    identity: request.identity,
    requestId: request.requestId,
    config: runtime.config,
    get logger() {
      return (logger ??= runtime.logger.child({ requestId: request.requestId }));
    },
    prisma: runtime.prisma,
    pool: runtime.pool,
    queryPool: runtime.queryPool,
    ingestPool: runtime.ingestPool,
    pubsub: runtime.pubsub,
    redis: runtime.redis,
  };
  return Object.assign(base, extra);
}
