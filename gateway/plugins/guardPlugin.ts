// The operation guard as an Apollo Server plugin: it runs once the operation is parsed, validated
// and resolved — before the gateway plans it — so a refused operation costs no planning and no
// subgraph call. (Thrown earlier in the pipeline an error becomes an opaque HTTP 500.)
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Config } from '../../lib/config.js';
import { tooComplex } from '../../lib/errors.js';
import type { GatewayContext } from '../context.js';
import type { OperationGuard } from './operationGuard.js';
import { TOO_MANY_TOKENS } from './operationLimits.js';

export function guardPlugin(guard: OperationGuard): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, request, schema }) {
          if (!operation) return;
          await guard({
            schema,
            document,
            operation,
            variables: request.variables ?? {},
            identity: contextValue.identity,
            ip: contextValue.ip,
            trusted: !!contextValue.persisted,
          });
        },
      };
    },
  };
}

/** graphql-js stops parsing at QUERY_MAX_TOKENS with a syntax error: report it as the limit it is. */
export function tokenLimitError(formatted: GraphQLFormattedError, limits: Config['limits']): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED' || !TOO_MANY_TOKENS.test(formatted.message)) return formatted;
  const err = tooComplex(`The document has more than ${limits.maxTokens} tokens`, 'QUERY_MAX_TOKENS', limits.maxTokens);
  const { http: _http, ...extensions } = err.extensions;
  return { message: err.message, extensions };
}
