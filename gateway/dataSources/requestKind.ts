import type { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';

/**
 * The enum's runtime value: @apollo/gateway exports the enum only from an internal CommonJS
 * module, so the value is named here and the type checked against it.
 */
export const INCOMING_OPERATION = 'incoming operation' as GraphQLDataSourceRequestKind.INCOMING_OPERATION;
