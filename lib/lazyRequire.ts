// Heavy libraries that only some requests need (ECharts for printed charts, ExcelJS for XLSX
// exports, undici for connections a user aims: imports, webhooks) are loaded on first use instead
// of at start-up: every process that never prints, exports or imports (most subgraph replicas,
// the workers) keeps their code and data out of its heap.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A CommonJS package, loaded (synchronously) the first time the answer is called. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
