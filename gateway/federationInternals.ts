// The one place that reaches into @apollo/gateway's internals (`dist/*`): what subscriptions need
// to run a query plan per event, and a runtime value the package exports only as a type. Pinned
// @apollo/* versions (package.json) keep these paths stable; an upgrade is checked here.
import type { ApolloGateway } from '@apollo/gateway';
import type { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import type { Schema } from '@apollo/federation-internals';
import type { QueryPlanner } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';

export { executeQueryPlan } from '@apollo/gateway/dist/executeQueryPlan.js';
export { buildOperationContext } from '@apollo/gateway/dist/operationContext.js';

/**
 * The enum's runtime value: @apollo/gateway exports the enum only from an internal CommonJS
 * module, so the value is named here and the type checked against it.
 */
export const INCOMING_OPERATION = 'incoming operation' as GraphQLDataSourceRequestKind.INCOMING_OPERATION;

/** What planning and running a query plan needs, as the gateway holds it for its current supergraph. */
export interface GatewayPlanning {
  planner: QueryPlanner;
  /** The API schema (federation's model: what operations are built against). */
  apiSchema: Schema;
  /** The API schema as graphql-js sees it (validation, execution). */
  schema: GraphQLSchema;
  /** The supergraph as graphql-js sees it (what a plan's results are completed against). */
  supergraphSchema: GraphQLSchema;
}

/**
 * The loaded gateway's own planner and schemas (private fields of ApolloGateway 2.x, set as it
 * loads a supergraph), so that nothing builds a second planner from the same supergraph.
 */
export function gatewayPlanning(gateway: ApolloGateway): GatewayPlanning {
  const internals = gateway as unknown as {
    queryPlanner?: QueryPlanner;
    apiSchema?: Schema;
    schema?: GraphQLSchema;
    supergraphSchema?: GraphQLSchema;
  };
  const { queryPlanner, apiSchema, schema, supergraphSchema } = internals;
  if (!queryPlanner || !apiSchema || !schema || !supergraphSchema) {
    throw new Error('@apollo/gateway holds no loaded planner and schemas where gateway/federationInternals.ts expects them');
  }
  return { planner: queryPlanner, apiSchema, schema, supergraphSchema };
}
