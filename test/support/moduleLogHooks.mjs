// The resolve hook of moduleLog.mjs (runs on the loader thread).
import { appendFileSync } from 'node:fs';

const match = new RegExp(process.env.MODULE_LOG_MATCH ?? '.');

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (match.test(result.url)) appendFileSync(process.env.MODULE_LOG, `${result.url}\n`);
  return result;
}
