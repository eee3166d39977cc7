// Loaded with `--import` before a built entry point: any load of TypeScript source, of tsx or of
// the TypeScript compiler fails the process, so a test proves dist/ runs on plain node alone.
import { register } from 'node:module';

const hook = `
const FORBIDDEN = /\\/node_modules\\/(tsx|typescript|esbuild)\\/|\\.[cm]?tsx?$/;
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (FORBIDDEN.test(new URL(resolved.url).pathname)) throw new Error('dist/ loaded ' + resolved.url + ' (from ' + context.parentURL + ')');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
