// The built models (models/artifacts, built by `npm test`'s prepare step) registered as a test
// needs them, each with `production` on the version registered — as `npm start` leaves a fresh
// deployment. Through the data layer, as the seed does: test files share one database, and one of
// them demotes every other file's ADMINs, so a registration through the gateway could be refused
// halfway through another file's test.
import { randomBytes } from 'node:crypto';
import { registerVersion } from '../../lib/registry/registration.js';
import { readArtifacts } from '../../models/artifacts.js';
import { InferenceEngine } from '../../models/runtime/engine.js';
import type { TestStack } from './stack.js';

/** Registers the latest built version of each named model (as a new ADMIN) and puts it in production. */
export async function serveBuiltModels(stack: TestStack, names: string[]): Promise<void> {
  const { prisma } = stack.runtime;
  const built = readArtifacts();
  const user = await prisma.user.create({
    data: { username: `models_${randomBytes(4).toString('hex')}`, role: 'ADMIN', passwordHash: '-' },
  });
  const actor = { id: user.id, name: user.username, role: 'ADMIN' as const, kind: 'user' as const };
  const engine = new InferenceEngine({ device: 'cpu', workers: 1 });
  try {
    for (const name of names) {
      const artifact = built.filter((a) => a.name === name).at(-1);
      if (!artifact) throw new Error(`no built model ${name}: run npm run models:build`);
      const version = await registerVersion(prisma, (bytes) => engine.inspect(bytes), actor, {
        modelName: name,
        task: artifact.task,
        bytes: artifact.bytes,
        metrics: artifact.metrics,
      });
      await prisma.modelAlias.upsert({
        where: { modelId_alias: { modelId: version.modelId, alias: 'production' } },
        create: { modelId: version.modelId, alias: 'production', versionId: version.id },
        update: { versionId: version.id },
      });
    }
  } finally {
    await engine.close();
  }
}
