// Distributed topology: plain HTTP routes of a subgraph (streamed uploads) reached through the
// gateway. The body streams through untouched; the caller's identity is checked here and
// forwarded signed, exactly as for GraphQL fetches.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import express from 'express';
import { Agent, request } from 'undici';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../lib/auth/identity.js';
import { sendError } from '../lib/graphql/httpErrors.js';
import type { IdentifyRequest } from '../lib/graphql/subgraph.js';
import type { Logger } from '../lib/logger.js';

const agent = new Agent({ keepAliveTimeout: 30_000, bodyTimeout: 0, headersTimeout: 0 });
const FORWARDED_HEADERS = ['content-type', 'content-length', 'x-file-name', 'accept'];

export function restProxy(
  prefixes: string[],
  origin: string,
  { gatewaySecret, logger, exposeDetails }: { gatewaySecret: string; logger: Logger; exposeDetails: boolean },
) {
  return (identify: IdentifyRequest) => {
    const router = express.Router();
    router.use(prefixes, async (req, res) => {
      try {
        const identity = await identify(req);
        const headers: Record<string, string> = { [REQUEST_ID_HEADER]: req.get(REQUEST_ID_HEADER) ?? randomUUID() };
        for (const name of FORWARDED_HEADERS) {
          const value = req.get(name);
          if (value) headers[name] = value;
        }
        if (identity) headers[IDENTITY_HEADER] = encodeForwardedIdentity(identity, gatewaySecret);
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        const upstream = await request(new URL(req.originalUrl, origin), {
          method: req.method as 'POST',
          headers,
          body: hasBody ? req : undefined,
          dispatcher: agent,
        });
        res.status(upstream.statusCode);
        for (const name of ['content-type', 'content-length', 'connection']) {
          const value = upstream.headers[name];
          if (typeof value === 'string') res.set(name, value);
        }
        Readable.from(upstream.body).pipe(res);
      } catch (err) {
        sendError(res, err, { logger, exposeDetails });
      }
    });
    return router;
  };
}
