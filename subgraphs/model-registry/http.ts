// POST /api/models/:name/versions — raw ONNX bytes (too large for a GraphQL string) registered as
// the model's next version. Query parameters: task (ANOMALY | FORECAST | CHART), metrics (JSON).
// The caller is authorised before a byte of the body is read, and the body goes to disk, not
// memory: anyone may open a connection and start sending.
import express, { type Request } from 'express';
import { z } from 'zod';
import { sendError } from '../../lib/graphql/httpErrors.js';
import type { IdentifyRequest } from '../../lib/graphql/subgraph.js';
import type { Logger } from '../../lib/logger.js';
import { ModelTask } from '../../lib/prisma.js';
import { parseInput } from '../../lib/validation.js';
import { authorizeRegistration, register, type RegistryDeps } from './data/registry.js';
import { tooLarge, withUploadedModel } from './data/upload.js';

const json = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
    return z.NEVER;
  }
});
const query = z.object({ task: z.enum(ModelTask), metrics: json.optional() });

/** The upload route; `identify` says who is calling (the gateway's authentication or its signed header). */
export function modelsHttp(deps: RegistryDeps & { logger: Logger }, identify: IdentifyRequest) {
  const router = express.Router();
  router.post('/api/models/:name/versions', async (req: Request<{ name: string }>, res) => {
    try {
      // Refusals here answer with Connection: close (sendError) and leave the body unread.
      const identity = await identify(req);
      const modelName = await authorizeRegistration(deps, identity, req.params.name);
      const { task, metrics } = parseInput(query, req.query, 'query');
      const { maxBytes } = deps.config.models;
      if (Number(req.get('content-length')) > maxBytes) throw tooLarge(maxBytes);
      const version = await withUploadedModel(req, maxBytes, ({ bytes, sha256 }) =>
        register(deps, identity, { modelName, task, bytes, sha256, metrics }),
      );
      res.status(201).json({
        id: version.id,
        model: modelName,
        version: version.version,
        sha256: version.sha256,
        inputs: version.inputs,
        outputs: version.outputs,
      });
    } catch (err) {
      sendError(res, err, { logger: deps.logger, exposeDetails: deps.config.exposeErrorDetails });
    }
  });
  return router;
}
