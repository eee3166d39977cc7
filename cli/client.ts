// What the command-line clients share: the gateway's address and credentials from the
// environment, GraphQL calls, and one-line failures.
/** REPORTGRAPH_URL, read when called (a tool's --url sets it). */
export const gatewayUrl = () => (process.env.REPORTGRAPH_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');

export function die(tool: string, message: string): never {
  process.stderr.write(`${tool}: ${message}\n`);
  process.exit(1);
}

export async function graphql(tool: string, auth: Record<string, string>, query: string, variables: Record<string, unknown> = {}) {
  let res: Response;
  try {
    res = await fetch(`${gatewayUrl()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    die(tool, `cannot reach ${gatewayUrl()} (${(err as Error).cause ?? (err as Error).message}); is the gateway running?`);
  }
  const body = (await res.json()) as { data?: any; errors?: Array<{ message: string }> };
  if (body.errors?.length) die(tool, body.errors.map((e) => e.message).join('; '));
  return body.data;
}

/** REPORTGRAPH_API_KEY, REPORTGRAPH_TOKEN, or REPORTGRAPH_USER + REPORTGRAPH_PASSWORD (logs in). */
export async function credentials(tool: string): Promise<Record<string, string>> {
  if (process.env.REPORTGRAPH_API_KEY) return { 'x-api-key': process.env.REPORTGRAPH_API_KEY };
  if (process.env.REPORTGRAPH_TOKEN) return { authorization: `Bearer ${process.env.REPORTGRAPH_TOKEN}` };
  const { REPORTGRAPH_USER: username, REPORTGRAPH_PASSWORD: password } = process.env;
  if (!username || !password) die(tool, 'set REPORTGRAPH_API_KEY, REPORTGRAPH_TOKEN, or REPORTGRAPH_USER and REPORTGRAPH_PASSWORD');
  const data = await graphql(tool, {}, 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
    u: username,
    p: password,
  });
  return { authorization: `Bearer ${data.login.token}` };
}
