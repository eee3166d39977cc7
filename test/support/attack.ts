// Helpers for the attack corpus (test/attacks/): raw requests as a hostile client sends them, and
// the check every attack ends with — the server still serves.
import net from 'node:net';
import { expect } from 'vitest';
import { gql, type TestStack } from './stack.js';

/** POSTs a raw body to /graphql; answers the status, headers and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, headers: res.headers, body: json };
}

/** Sends bytes as they are (request line included) and answers the raw response text. */
export function rawHttp(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed socket may be dropped before a slow answer comes back.
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
  });
}

/** The end of every attack: an ordinary signed-in query still works. */
export async function expectStillServes(stack: TestStack, token: string): Promise<void> {
  const r = await gql(stack.url, '{ me { id } }', {}, token);
  expect(r.errors).toBeUndefined();
  expect(r.data?.me?.id).toBeTruthy();
}
