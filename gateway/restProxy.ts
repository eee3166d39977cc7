// Distributed topology: plain HTTP routes of a subgraph (streamed uploads and downloads) reached
// through the gateway. Bodies stream through untouched; the caller's identity is checked here and
// forwarded signed, exactly as for GraphQL fetches.
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream';
import express from 'express';
import { Agent, request } from 'undici';
import { encodeForwardedIdentity, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../lib/auth/identity.js';
import { badInput, unauthenticated } from '../lib/errors.js';
import { sendError } from '../lib/graphql/httpErrors.js';
import type { IdentifyRequest } from '../lib/graphql/subgraph.js';
import type { Logger } from '../lib/logger.js';

const agent = new Agent({ keepAliveTimeout: 30_000, bodyTimeout: 0, headersTimeout: 0 });
const FORWARDED_HEADERS = ['content-type', 'content-length', 'x-file-name', 'accept'];
/** What a subgraph's answer keeps: a download's name and caching rules, a page's security policy. */
const RETURNED_HEADERS = [
  'content-type',
  'content-length',
  'connection',
  'content-disposition',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'x-robots-tag',
  'referrer-policy',
  'retry-after',
];

/**
 * The subgraph URL for a request: its origin, and the request's path and query — never the
 * request target as given, which may be absolute (`GET http://169.254.169.254/... HTTP/1.1`).
 * The normalised path must stay under one of the proxied prefixes (`..` cannot climb out).
 */
export function upstreamUrl(requestTarget: string, origin: string, prefixes: string[]): URL | null {
  if (!requestTarget.startsWith('/') || requestTarget.startsWith('//')) return null;
  const { pathname, search } = new URL(requestTarget, 'http://gateway.invalid');
  if (!prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) return null;
  const url = new URL(origin);
  url.pathname = pathname;
  url.search = search;
  return url;
}

export function restProxy(
  subgraph: string,
  prefixes: string[],
  origin: string,
  { gatewaySecret, logger, exposeDetails }: { gatewaySecret: string; logger: Logger; exposeDetails: boolean },
) {
  return (identify: IdentifyRequest) => {
    const router = express.Router();
    router.use(prefixes, async (req, res) => {
      try {
        const target = upstreamUrl(req.originalUrl, origin, prefixes);
        if (!target) throw badInput('The request target must be a path under the proxied routes');
        const identity = await identify(req);
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        // Uploads need a signed-in caller: an anonymous body is refused here instead of being
        // streamed to the subgraph first. A read goes through anonymous (vouched for as such):
        // the subgraph decides — a signed download link, a public snapshot, or UNAUTHENTICATED.
        if (!identity && hasBody) throw unauthenticated();
        const requestId = req.get(REQUEST_ID_HEADER) ?? randomUUID();
        const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
        for (const name of FORWARDED_HEADERS) {
          const value = req.get(name);
          if (value) headers[name] = value;
        }
        headers[IDENTITY_HEADER] = encodeForwardedIdentity(identity, gatewaySecret, { audience: subgraph, requestId });
        const upstream = await request(target, {
          method: req.method as 'POST',
          headers,
          body: hasBody ? req : undefined,
          dispatcher: agent,
        });
        res.status(upstream.statusCode);
        for (const name of RETURNED_HEADERS) {
          const value = upstream.headers[name];
          if (typeof value === 'string') res.set(name, value);
        }
        // A subgraph that cuts a download short (an export failing mid-stream) cuts it here too:
        // pipeline destroys the client's connection instead of leaving a silently short file.
        pipeline(upstream.body, res, (err) => {
          if (err) res.destroy();
        });
      } catch (err) {
        sendError(res, err, { logger, exposeDetails });
      }
    });
    return router;
  };
}
