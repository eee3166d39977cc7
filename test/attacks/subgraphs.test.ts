// Attacks on the distributed topology's inner doors: a subgraph port reached directly (no
// gateway signature, a forged one, one meant for another subgraph or request), and the gateway's
// REST proxy asked to follow an absolute request target (SSRF with the answer piped back).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../../lib/auth/identity.js';
import type { Runtime } from '../../lib/runtime.js';
import { restProxy, upstreamUrl } from '../../gateway/restProxy.js';
import { rawHttp } from '../support/attack.js';
import { serveTemplates, type ServedTemplates } from '../support/subgraphServer.js';
import { pino } from 'pino';

let served: ServedTemplates;
let runtime: Runtime;
let templateId: string;

beforeAll(async () => {
  served = await serveTemplates('secret');
  ({ runtime, templateId } = served);
});
afterAll(() => served?.close());

const ENTITIES = {
  query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on ReportTemplate { name } } }',
  variables: {} as Record<string, unknown>,
};
const call = (headers: Record<string, string>) =>
  fetch(served.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ ...ENTITIES, variables: { r: [{ __typename: 'ReportTemplate', id: templateId }] } }),
  });

describe('subgraph ports', () => {
  it("refuse a request without the gateway's signature, before reading anything", async () => {
    const res = await call({});
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toContain('UNAUTHENTICATED');
    expect(body).not.toContain('secret template');
  });

  it('refuse a forged signature, and one meant for another subgraph or another request', async () => {
    const requestId = 'req-1';
    const forged = encodeForwardedIdentity({ id: 'x', name: 'x', role: 'ADMIN', kind: 'user' }, 'not-the-gateway-secret-000000000000', {
      audience: 'templates',
      requestId,
    });
    const otherSubgraph = encodeForwardedIdentity(null, runtime.config.gatewaySecret, { audience: 'datasets', requestId });
    const otherRequest = encodeForwardedIdentity(null, runtime.config.gatewaySecret, { audience: 'templates', requestId: 'req-2' });
    for (const header of [forged, otherSubgraph, otherRequest]) {
      const res = await call({ [IDENTITY_HEADER]: header, [REQUEST_ID_HEADER]: requestId });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('secret template');
    }
  });

  it('answer the gateway, which vouches for anonymous callers too; role checks then apply', async () => {
    const requestId = 'req-3';
    const res = await call({
      [IDENTITY_HEADER]: encodeForwardedIdentity(null, runtime.config.gatewaySecret, { audience: 'templates', requestId }),
      [REQUEST_ID_HEADER]: requestId,
    });
    const body = (await res.json()) as { data?: { _entities: unknown[] }; errors?: Array<{ extensions: { code: string } }> };
    expect(JSON.stringify(body)).not.toContain('secret template');
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('close a WebSocket that does not carry the signature', async () => {
    const client = createClient({ url: served.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    const code = await new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
    expect(code).toBe(4403);
    await client.dispose();
  });
});

describe('REST proxy', () => {
  it('builds the upstream URL from the path only, under the proxied prefixes', () => {
    expect(upstreamUrl('/api/models/m/versions?task=ANOMALY', 'http://10.0.0.5:4004', ['/api/models'])?.toString()).toBe(
      'http://10.0.0.5:4004/api/models/m/versions?task=ANOMALY',
    );
    expect(upstreamUrl('http://169.254.169.254/api/models/x', 'http://10.0.0.5:4004', ['/api/models'])).toBeNull();
    expect(upstreamUrl('//169.254.169.254/api/models/x', 'http://10.0.0.5:4004', ['/api/models'])).toBeNull();
    expect(upstreamUrl('/api/models/../../graphql', 'http://10.0.0.5:4004', ['/api/models'])).toBeNull();
    expect(upstreamUrl('/api/modelsX', 'http://10.0.0.5:4004', ['/api/models'])).toBeNull();
  });

  it('refuses an absolute-form request target instead of fetching it', async () => {
    let metadataHits = 0;
    const metadata = http.createServer((_req, res) => {
      metadataHits++;
      res.end('iam-credentials');
    });
    let upstreamHits = 0;
    const upstream = http.createServer((_req, res) => {
      upstreamHits++;
      res.end('{"ok":true}');
    });
    await Promise.all([metadata, upstream].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const app = express();
    const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    // Signed in when the request says so: the proxy refuses anonymous uploads itself.
    const identify = async (req: express.Request) =>
      req.get('x-test-user') ? { id: 'u', name: 'u', role: 'ADMIN' as const, kind: 'user' as const } : null;
    app.use(
      restProxy('model-registry', ['/api/models'], origin, {
        gatewaySecret: 's'.repeat(40),
        logger: pino({ level: 'silent' }),
        exposeDetails: false,
      })(identify),
    );
    const gateway = http.createServer(app);
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    try {
      const target = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/api/models/../../latest/meta-data`;
      const answer = await rawHttp(gatewayUrl, `GET ${target} HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).not.toContain('iam-credentials');
      expect(metadataHits).toBe(0);
      const anonymous = await rawHttp(
        gatewayUrl,
        'POST /api/models/x/versions HTTP/1.1\r\nHost: gateway\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbytes',
      );
      expect(anonymous).toMatch(/^HTTP\/1\.1 401/);
      expect(upstreamHits).toBe(0);
      const ok = await rawHttp(gatewayUrl, 'GET /api/models/x HTTP/1.1\r\nHost: gateway\r\nX-Test-User: yes\r\nConnection: close\r\n\r\n');
      expect(ok).toContain('{"ok":true}');
    } finally {
      await Promise.all([gateway, metadata, upstream].map((s) => new Promise((r) => s.close(r))));
    }
  });
});
