// Test support: the real stack in-process (single-host gateway on a free port) over the run's
// database and Redis prefix, and small helpers to talk GraphQL to it as a client would.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../lib/config.js';
import { createDatabase, dropDatabase } from '../../lib/db/admin.js';
import { migrate } from '../../lib/db/migrate.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { hashPassword } from '../../lib/auth/passwords.js';
import type { Role } from '../../lib/auth/identity.js';
import { createGatewayServer } from '../../gateway/server.js';
import { inProcessEndpoints, inProcessWorker } from '../../gateway/topology/singleHost.js';
import { createReportCache } from '../../subgraphs/templates/data/render.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';

/**
 * The environment of a part started as a process of its own (a gateway, a subgraph, a worker) on
 * `databaseUrl` and this run's Redis, signing in its first ADMIN with `adminPassword`.
 */
export function processEnv(databaseUrl: string, adminPassword: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    ADMIN_PASSWORD: adminPassword,
    JWT_SECRET: TEST_JWT_SECRET,
    ...extra,
  };
}

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    JWT_SECRET: TEST_JWT_SECRET,
    // The smallest cost the setting allows: hundreds of test users would otherwise take minutes.
    PASSWORD_SCRYPT_LOG2N: '14',
    // Every test signs in from 127.0.0.1; the attack tests set the real limits they attack.
    RATE_LIMIT_LOGINS_PER_IP: '0',
    RATE_LIMIT_LOGINS_PER_USERNAME: '0',
    RATE_LIMIT_OPERATIONS_PER_MINUTE: '0',
    ...extra,
  };
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig(testEnv(extra));
}

export interface TestStack {
  runtime: Runtime;
  url: string;
  stop(): Promise<void>;
}

/** Starts the single-host gateway (all four subgraphs in-process) on a free port. */
/** `START_WORKER: 'true'` in `env` also runs an analysis worker in the stack. */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  // Each stack its own Redis namespace (under the run's): queues and channels stay apart.
  const prefix = `${inject('redisKeyPrefix')}${randomBytes(3).toString('hex')}:`;
  const runtime = createRuntime(testConfig({ START_WORKER: 'false', REDIS_KEY_PREFIX: prefix, ...env }));
  const gateway = await createGatewayServer(runtime, inProcessEndpoints(runtime)).catch(async (err: unknown) => {
    await runtime.close(); // a gateway that refused to start leaves no connections behind
    throw err;
  });
  const worker = inProcessWorker(runtime);
  const url = await gateway.listen('127.0.0.1', 0);
  worker?.start();
  return {
    runtime,
    url,
    async stop() {
      await gateway.stop();
      await worker?.stop();
      await runtime.close();
    },
  };
}

export interface GraphQLResult<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }>;
}

export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth?: string | { apiKey: string },
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (typeof auth === 'string') headers.authorization = `Bearer ${auth}`;
  else if (auth) headers['x-api-key'] = auth.apiKey;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, ...((await res.json()) as object) };
}

export const codes = (r: GraphQLResult) => (r.errors ?? []).map((e) => e.extensions?.code);

/** Creates a user directly in the database and logs in through the gateway; returns the token. */
export async function userWithRole(
  stack: TestStack,
  role: Role,
): Promise<{ id: string; token: string; username: string; password: string }> {
  const username = `${role.toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const user = await stack.runtime.prisma.user.create({
    data: { username, role, passwordHash: await hashPassword(password, { log2N: stack.runtime.config.auth.scryptLog2N }) },
  });
  const r = await gql<{ login: { token: string } }>(
    stack.url,
    'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: username, p: password },
  );
  if (!r.data?.login) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  return { id: user.id, token: r.data.login.token, username, password };
}

/** Creates an empty dataset through the gateway as `token`'s user; answers its id. */
export async function newDataset(stack: TestStack, token: string, prefix = 'dataset'): Promise<string> {
  const r = await gql(stack.url, 'mutation($n: String!) { createDataset(input: { name: $n }) { id } }', { n: unique(prefix) }, token);
  if (!r.data?.createDataset) throw new Error(`createDataset failed: ${JSON.stringify(r.errors)}`);
  return r.data.createDataset.id as string;
}

/** A unique name for things a test creates, so test files can share one database. */
export const unique = (prefix: string) => `${prefix} ${randomBytes(4).toString('hex')}`;

/**
 * A migrated database of the calling test file's own, dropped by `drop`. For tests that run the
 * scheduler at a chosen `now`: in the run's shared database they would claim, and be claimed by,
 * other files' schedules due before that moment.
 */
export async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rg_test_own_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const server = inject('databaseUrl');
  const url = await createDatabase(server, name);
  await migrate(url);
  return { url, drop: () => dropDatabase(server, name) };
}

/** A runtime as the templates subgraph's report code takes it: with a hot-report cache of its own. */
export const reportDeps = (runtime: Runtime) => ({
  ...runtime,
  reportCache: createReportCache(runtime.redis, {
    ttlSeconds: runtime.config.reportCacheTtlSeconds,
    memoryBytes: runtime.config.reportCacheMemoryMb * 1024 * 1024,
  }),
});
