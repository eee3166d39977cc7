// A closed-loop load generator in its own process (so it does not share the measured server's
// event loop): `connections` loops for `seconds`, cycling through request bodies. Prints JSON.
import { Agent, request } from 'undici';

const {
  url,
  bodies,
  headers,
  seconds,
  connections,
  expect: mustContain,
} = JSON.parse(process.argv[2]!) as {
  url: string;
  bodies: string[];
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  expect?: string;
};
const agent = new Agent({ connections, keepAliveTimeout: 30_000 });
const latencies: number[] = [];
let errors = 0;
/** The first failure, to say what went wrong. */
let firstError: string | undefined;
let i = 0;
const t0 = performance.now();
const end = t0 + seconds * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        const res = await request(url, { method: 'POST', dispatcher: agent, headers, body: bodies[i++ % bodies.length] });
        const text = await res.body.text();
        if (res.statusCode !== 200 || (mustContain && !text.includes(mustContain))) {
          errors++;
          firstError ??= `HTTP ${res.statusCode}: ${text.slice(0, 300)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
      latencies.push(performance.now() - t);
    }
  }),
);
latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rps: latencies.length / ((performance.now() - t0) / 1000),
    p99: latencies[Math.floor(latencies.length * 0.99)],
    errors,
    firstError,
  }),
);
await agent.close();
