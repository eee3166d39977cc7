// POST /api/models/:name/versions — raw ONNX bytes (too large for a GraphQL string) registered as
// the model's next version. Query parameters: task (ANOMALY | FORECAST | CHART), metrics (JSON).
import express, { type Request } from 'express';
import { z } from 'zod';
import { ErrorCode, ReportGraphError } from '../../lib/errors.js';
import { sendError } from '../../lib/graphql/httpErrors.js';
import type { IdentifyRequest } from '../../lib/graphql/subgraph.js';
import type { Logger } from '../../lib/logger.js';
import { ModelTask } from '../../lib/prisma.js';
import { parseInput } from '../../lib/validation.js';
import { register, type RegistryDeps } from './data/registry.js';

const json = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
    return z.NEVER;
  }
});
const query = z.object({ task: z.enum(ModelTask), metrics: json.optional() });

async function readBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes)
      throw new ReportGraphError(ErrorCode.BAD_USER_INPUT, `the model is larger than ${maxBytes} bytes`, { limit: maxBytes }, 413);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export function modelsHttp(deps: RegistryDeps & { logger: Logger }, identify: IdentifyRequest) {
  const router = express.Router();
  router.post('/api/models/:name/versions', async (req: Request<{ name: string }>, res) => {
    try {
      const identity = await identify(req);
      const { task, metrics } = parseInput(query, req.query, 'query');
      const maxBytes = deps.config.models.maxBytes;
      if (Number(req.get('content-length')) > maxBytes) {
        throw new ReportGraphError(ErrorCode.BAD_USER_INPUT, `the model is larger than ${maxBytes} bytes`, { limit: maxBytes }, 413);
      }
      const bytes = await readBody(req, maxBytes);
      const version = await register(deps, identity, { modelName: req.params.name, task, bytes, metrics });
      res.status(201).json({
        id: version.id,
        model: req.params.name,
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
