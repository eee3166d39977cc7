// Summarises a V8 CPU profile (node --cpu-prof): self time by package (or project folder) and the
// heaviest functions, to see where time goes under a benchmark's load.
//   npx tsx bench/profileSummary.ts /tmp/prof/CPU.*.cpuprofile [fromUs toUs]
// The optional window (microseconds of the monotonic clock, as a benchmark prints it) keeps only
// the samples taken under load.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = process.argv[2]!;
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };
const [from, to] = [Number(process.argv[3] ?? -Infinity), Number(process.argv[4] ?? Infinity)];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + delta);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:') || !url) return url ? 'node internals' : '(native / gc / idle)';
  const p = /\/work\/[^/]+\/([^/]+\/[^/]+)/.exec(url);
  return p ? p[1]! : url;
};
const groups = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const group =
    n.callFrame.functionName === '(idle)' ? '(idle)' : n.callFrame.functionName === '(garbage collector)' ? '(gc)' : where(n.callFrame.url);
  groups.set(group, (groups.get(group) ?? 0) + t);
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + t);
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log('self time by package / folder');
for (const [g, t] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(t)}  ${g}`);
console.log('heaviest functions');
for (const [f, t] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(t)}  ${f}`);
