// The web app's operations, as the gateway will meet them: each one in its trusted manifest is
// valid against the composed schema and within every default operation limit (size, tokens,
// depth, aliases, root fields, cost) — a screen can never be refused QUERY_TOO_COMPLEX.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { getOperationAST, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig, SUBGRAPH_NAMES, WEB_APP_MANIFEST } from '../lib/config.js';
import { ROOT } from '../test/support/processes.js';
import { composeSupergraph } from './composition.js';
import { costModelOf, enforceDocumentSize, enforceLimits, measureOperation } from './plugins/operationLimits.js';
import { readManifest } from './plugins/trustedDocuments.js';

const supergraphSdl = composeSupergraph(
  SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `in-process://${name}`,
    typeDefs: parse(readFileSync(path.join(ROOT, 'subgraphs', name, 'schema.graphql'), 'utf8')),
  })),
);
const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const costModel = costModelOf(supergraphSdl);
const { limits } = loadConfig({});
const operations = readManifest(WEB_APP_MANIFEST, readFileSync(WEB_APP_MANIFEST, 'utf8'));

describe("the web app's trusted documents", () => {
  it('are all there: one per screen action, each named', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.map((o) => o.name)).toEqual(expect.arrayContaining(['SignIn', 'DatasetList', 'AnalysisProgress', 'ModelEvents']));
  });

  it.each(operations.map((o) => [o.name, o] as const))('%s is valid and within the default limits', (_name, op) => {
    enforceDocumentSize(op.document, limits);
    const document = parse(op.document, { maxTokens: limits.maxTokens });
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const operation = getOperationAST(document)!;
    // Lists default to their declared page size, as a client that omits `limit` gets.
    const shape = measureOperation(schema, document, operation, {}, costModel);
    expect(() => enforceLimits(shape, limits)).not.toThrow();
    expect(shape.cost).toBeLessThanOrEqual(limits.maxCost);
  });
});
