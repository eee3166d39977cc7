// The operation budget (RATE_LIMIT_OPERATIONS_PER_MINUTE) for the plain HTTP routes under /api —
// uploads, exports, public snapshot links — as for GraphQL operations: one request costs one
// operation of its caller's budget (their API key or user, else their address), shared by every
// replica through Redis. Without it an anonymous client could ask for snapshot links without end.
import type express from 'express';
import type { Config } from '../../lib/config.js';
import { errorBody, rateLimited } from '../../lib/errors.js';
import type { IdentifyRequest } from '../../lib/graphql/subgraph.js';
import type { RateLimiter } from '../../lib/rateLimit.js';

export function routeBudget(config: Config, rateLimiter: RateLimiter, identify: IdentifyRequest): express.RequestHandler {
  return async (req, res, next) => {
    // Bad credentials are the route's to refuse, with its own answer; here they only mean "by address".
    const identity = await identify(req).catch(() => null);
    const principal = identity ? `${identity.kind}:${identity.id}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const verdict = await rateLimiter.check(`ops:${principal}`, config.rateLimits.operationsPerMinute);
    if (verdict.allowed) return next();
    const err = rateLimited('Too many requests; wait and try again', 'RATE_LIMIT_OPERATIONS_PER_MINUTE', verdict.retryAfterSeconds);
    res.status(err.status).set('retry-after', String(verdict.retryAfterSeconds)).set('connection', 'close').json(errorBody(err));
  };
}
