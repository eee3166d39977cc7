// The built models (models/artifacts, built by `npm test`'s prepare step) registered through the
// gateway as a test needs them, each with `production` on the version registered — as `npm start`
// leaves a fresh deployment, in a database other test files share.
import { readArtifacts } from '../../models/artifacts.js';
import { gql, type TestStack } from './stack.js';

const REGISTER =
  'mutation($m: String!, $t: ModelTask!, $b: String!, $x: JSON) { registerModelVersion(modelName: $m, task: $t, onnxBase64: $b, metrics: $x) { version } }';
const PRODUCTION = 'mutation($m: String!, $v: Int!) { setModelAlias(modelName: $m, alias: "production", version: $v) { name } }';

/** Registers the latest built version of each named model (as an ADMIN) and puts it in production. */
export async function serveBuiltModels(
  stack: TestStack,
  adminToken: string,
  names: string[],
  { version }: { version?: number } = {},
): Promise<void> {
  const built = readArtifacts();
  for (const name of names) {
    const candidates = built.filter((a) => a.name === name && (version === undefined || a.version === version));
    const artifact = candidates.at(-1);
    if (!artifact) throw new Error(`no built model ${name}${version ? ` version ${version}` : ''}: run npm run models:build`);
    const r = await gql(
      stack.url,
      REGISTER,
      { m: name, t: artifact.task, b: Buffer.from(artifact.bytes).toString('base64'), x: artifact.metrics },
      adminToken,
    );
    if (r.errors) throw new Error(`registering ${name}: ${JSON.stringify(r.errors)}`);
    const p = await gql(stack.url, PRODUCTION, { m: name, v: r.data!.registerModelVersion.version }, adminToken);
    if (p.errors) throw new Error(`moving production of ${name}: ${JSON.stringify(p.errors)}`);
  }
}
