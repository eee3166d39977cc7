// Trusted documents from Apollo persisted-query manifests: loaded at start and checked (a wrong id
// stops the gateway), then run by id — documentId, an APQ hash, over WebSocket — even when
// PERSISTED_OPERATIONS_ONLY=all refuses everything else.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartupError } from '../lib/startup.js';
import { post } from '../test/support/attack.js';
import { startTestStack, userWithRole, type TestStack } from '../test/support/stack.js';
import { loadTrustedDocuments, readManifest } from './plugins/trustedDocuments.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const operation = (name: string, type: 'query' | 'mutation' | 'subscription', body: string) => ({ id: sha(body), name, type, body });
const manifest = (operations: unknown[]) => JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations });

const ME = 'query Me {\n  me {\n    id\n    username\n  }\n}';
const PROGRESS = 'subscription Progress($id: ID!) {\n  analysisProgress(jobId: $id) {\n    progress\n  }\n}';
const dir = mkdtempSync(path.join(tmpdir(), 'rg-manifest-'));
const manifestFile = path.join(dir, 'persisted-query-manifest.json');
writeFileSync(manifestFile, manifest([operation('Me', 'query', ME), operation('Progress', 'subscription', PROGRESS)]));

describe('reading a manifest', () => {
  it('answers each operation by the sha256 of its body', () => {
    const docs = readManifest('m.json', manifest([operation('Me', 'query', ME)]));
    expect(docs).toEqual([{ id: sha(ME), name: 'Me', document: ME }]);
  });

  it('refuses an id that is not the hash of its body, naming the operation', () => {
    const forged = { ...operation('Me', 'query', ME), body: 'query Me { users { id } }' };
    expect(() => readManifest('m.json', manifest([forged]))).toThrowError(/operation Me has id [0-9a-f]{64} but its body hashes to/);
  });

  it('refuses what is not an Apollo manifest, and a name or type its body does not hold', () => {
    expect(() => readManifest('m.json', '{"operations": []}')).toThrowError(StartupError);
    expect(() => readManifest('m.json', 'not json')).toThrowError(/not JSON/);
    const misnamed = { ...operation('Me', 'query', ME), name: 'Users' };
    expect(() => readManifest('m.json', manifest([misnamed]))).toThrowError(/is not the query Users/);
    const mistyped = { ...operation('Me', 'query', ME), type: 'mutation' };
    expect(() => readManifest('m.json', manifest([mistyped]))).toThrowError(/is not the mutation Me/);
  });

  it('skips the default manifest when it is absent but not a file named in TRUSTED_DOCUMENTS', () => {
    const missing = path.join(dir, 'missing.json');
    expect(loadTrustedDocuments({ paths: [missing], skipMissing: true }).size).toBe(0);
    expect(() => loadTrustedDocuments({ paths: [missing], skipMissing: false })).toThrowError(/no such file \(TRUSTED_DOCUMENTS\)/);
  });
});

describe('a gateway with a manifest and PERSISTED_OPERATIONS_ONLY=all', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack({ TRUSTED_DOCUMENTS: manifestFile, PERSISTED_OPERATIONS_ONLY: 'all' });
    ({ token } = await userWithRole(stack, 'VIEWER'));
  });
  afterAll(() => stack?.stop());
  const auth = () => ({ authorization: `Bearer ${token}` });

  it('runs a manifest operation by documentId and by APQ hash, and nothing ad hoc', async () => {
    const byId = await post(stack.url, { documentId: sha(ME) }, auth());
    expect(byId.body.data.me.id).toBeTruthy();
    const byHash = await post(stack.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha(ME) } } }, auth());
    expect(byHash.body.data.me.username).toMatch(/^viewer_/);
    const adHoc = await post(stack.url, { query: ME }, auth());
    expect(adHoc.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('runs a manifest subscription named by id over WebSocket, and refuses the same text ad hoc', async () => {
    const client = createClient({
      url: `${stack.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: auth(),
      retryAttempts: 0,
    });
    const firstError = (payload: Record<string, unknown>) =>
      new Promise<string | undefined>((resolve) => {
        client.subscribe({ query: '', variables: { id: '00000000-0000-4000-8000-000000000000' }, ...payload } as never, {
          next: (r) => resolve((r.errors?.[0]?.extensions as { code?: string } | undefined)?.code),
          error: (e) => resolve((e as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code),
          complete: () => resolve(undefined),
        });
      });
    try {
      // NOT_FOUND comes from the insights subgraph: the trusted document was planned and ran.
      expect(await firstError({ documentId: sha(PROGRESS) })).toBe('NOT_FOUND');
      expect(await firstError({ extensions: { persistedQuery: { version: 1, sha256Hash: sha(PROGRESS) } } })).toBe('NOT_FOUND');
      expect(await firstError({ query: PROGRESS })).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    } finally {
      await client.dispose();
    }
  });

  it('refuses to start on a manifest whose ids do not match', async () => {
    const forged = path.join(dir, 'forged.json');
    writeFileSync(forged, manifest([{ ...operation('Me', 'query', ME), body: 'query Me { users { id } }' }]));
    await expect(startTestStack({ TRUSTED_DOCUMENTS: forged })).rejects.toThrowError(StartupError);
  });
});
