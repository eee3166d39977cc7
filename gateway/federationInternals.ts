// The one place that reaches into @apollo/gateway's internals (`dist/*`): what subscriptions need
// to run a query plan per event, and a runtime value the package exports only as a type. Pinned
// @apollo/* versions (package.json) keep these paths stable; an upgrade is checked here.
import type { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';

export { executeQueryPlan } from '@apollo/gateway/dist/executeQueryPlan.js';
export { buildOperationContext } from '@apollo/gateway/dist/operationContext.js';

/**
 * The enum's runtime value: @apollo/gateway exports the enum only from an internal CommonJS
 * module, so the value is named here and the type checked against it.
 */
export const INCOMING_OPERATION = 'incoming operation' as GraphQLDataSourceRequestKind.INCOMING_OPERATION;
