// The in-process data source answers the same whether it interprets a planner document or runs it
// compiled (graphql-jit, from the COMPILE_AFTER-th run): data, nulls, error codes, masking.
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { BaseContext } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import type { SubgraphService } from '../../lib/graphql/subgraph.js';
import type { GatewayContext } from '../context.js';
import { INCOMING_OPERATION } from '../federationInternals.js';
import { COMPILE_AFTER } from '../../lib/graphql/execution.js';
import { InProcessDataSource } from './inProcess.js';

const typeDefs = parse(`
  scalar JSON
  type Query { datasets(limit: Int!): [Dataset!]! missing: Dataset broken: Dataset! }
  type Dataset @key(fields: "id") { id: ID! rowCount: Int meta: JSON owner: User explode: String }
  type User { username: String! }
`);
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `d${i}`, rowCount: i % 2 ? null : i * 10, meta: { tags: ['a', i] } }));
const schema = buildSubgraphSchema({
  typeDefs,
  resolvers: {
    Query: {
      datasets: (_: unknown, { limit }: { limit: number }) => rows(limit),
      missing: () => {
        throw notFound('dataset', 'nope');
      },
      broken: () => {
        throw new Error('connection reset');
      },
    },
    Dataset: {
      __resolveReference: ({ id }: { id: string }) => rows(5).find((d) => d.id === id) ?? null,
      owner: (d: { id: string }) => (d.id === 'd1' ? null : { username: `u-${d.id}` }),
      explode: (d: { id: string }) => {
        if (d.id === 'd2') throw new Error('secret detail');
        return 'ok';
      },
    },
    JSON: { serialize: (v: unknown) => v, parseValue: (v: unknown) => v, parseLiteral: () => null } as never,
  } as never,
});
const logger = createLogger({ logLevel: 'silent' });
const service = {
  name: 'datasets',
  typeDefs,
  schema,
  createContext: (request) => ({ ...request }) as unknown as BaseContext,
} as SubgraphService<BaseContext>;

const call = (source: InProcessDataSource, document: DocumentNode, variables: Record<string, unknown>) =>
  source.process({
    kind: INCOMING_OPERATION,
    document,
    request: { query: 'unused', variables },
    context: { identity: null, requestId: 'r', subgraphContexts: new Map() } as unknown as GatewayContext,
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);

describe('in-process data source', () => {
  it.each([
    [
      'a list with nulls, a custom scalar and a resolver error',
      'query($n: Int!) { datasets(limit: $n) { id rowCount meta owner { username } explode } }',
      { n: 4 },
    ],
    ['a coded error on a nullable root field', '{ missing { id } }', {}],
    ['an unexpected error on a non-null root field, masked', '{ broken { id } }', {}],
    [
      'entities by reference',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dataset { id rowCount owner { username } } } }',
      {
        r: [
          { __typename: 'Dataset', id: 'd0' },
          { __typename: 'Dataset', id: 'd3' },
          { __typename: 'Dataset', id: 'zz' },
        ],
      },
    ],
  ])('answers %s the same interpreted and compiled', async (_, query, variables) => {
    const source = new InProcessDataSource(service, { logger, exposeDetails: false });
    const document = parse(query);
    const answers = [];
    for (let run = 1; run <= COMPILE_AFTER + 1; run++) answers.push(JSON.stringify(await call(source, document, variables)));
    // Compiled from the COMPILE_AFTER-th run on.
    expect(source.runner.isCompiled(document)).toBe(true);
    expect(new Set(answers).size).toBe(1);
    const answer = JSON.parse(answers[0]!);
    if (query.includes('missing')) expect(answer.errors[0].extensions.code).toBe('NOT_FOUND');
    if (query.includes('broken'))
      expect(answer.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    if (query.includes('explode')) expect(answer.errors.map((e: { path: unknown[] }) => e.path)).toEqual([['datasets', 2, 'explode']]);
  });

  it('interprets a document run fewer than COMPILE_AFTER times', async () => {
    const source = new InProcessDataSource(service, { logger, exposeDetails: false });
    const document = parse('{ datasets(limit: 1) { id } }');
    for (let run = 1; run < COMPILE_AFTER; run++) await call(source, document, {});
    expect(source.runner.isCompiled(document)).toBe(false);
  });
});
