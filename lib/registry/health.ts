// Inference outcomes per model version, kept in Redis (a capped list per version), and the rule
// that says when a version is failing: error rate or p95 latency over its last N calls.
import type { Redis } from '../redis.js';

export interface HealthRule {
  /** Fraction of failed calls (0..1) above which a version is failing. */
  maxErrorRate: number;
  /** 95th-percentile latency above which a version is failing. */
  maxP95Ms: number;
  /** How many of the most recent calls are judged. */
  window: number;
  /** Fewer calls than this are not judged yet. */
  minCalls: number;
}

export const DEFAULT_HEALTH_RULE: HealthRule = { maxErrorRate: 0.05, maxP95Ms: 2000, window: 200, minCalls: 20 };

export interface Outcome {
  ok: boolean;
  latencyMs: number;
}

export interface Health {
  healthy: boolean;
  calls: number;
  errorRate: number;
  p95Ms: number;
  reason: string | null;
}

export function assessHealth(outcomes: Outcome[], rule: HealthRule): Health {
  const recent = outcomes.slice(0, rule.window);
  const calls = recent.length;
  const errorRate = calls ? recent.filter((o) => !o.ok).length / calls : 0;
  const latencies = recent.map((o) => o.latencyMs).sort((a, b) => a - b);
  const p95Ms = calls ? latencies[Math.min(calls - 1, Math.ceil(calls * 0.95) - 1)]! : 0;
  let reason: string | null = null;
  if (calls >= rule.minCalls) {
    if (errorRate > rule.maxErrorRate)
      reason = `error rate ${(errorRate * 100).toFixed(1)}% > ${(rule.maxErrorRate * 100).toFixed(1)}% over the last ${calls} calls`;
    else if (p95Ms > rule.maxP95Ms) reason = `p95 latency ${p95Ms.toFixed(0)} ms > ${rule.maxP95Ms} ms over the last ${calls} calls`;
  }
  return { healthy: reason === null, calls, errorRate, p95Ms, reason };
}

const KEEP = 1000;
const outcomesKey = (versionId: string) => `models:outcomes:${versionId}`;

/** Newest first. */
export async function recordOutcomes(redis: Redis, versionId: string, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await redis
    .multi()
    .lpush(outcomesKey(versionId), ...outcomes.map((o) => `${o.ok ? 1 : 0}:${o.latencyMs}`))
    .ltrim(outcomesKey(versionId), 0, KEEP - 1)
    .exec();
}

export async function recentOutcomes(redis: Redis, versionId: string, n: number): Promise<Outcome[]> {
  const raw = await redis.lrange(outcomesKey(versionId), 0, n - 1);
  return raw.map((r) => {
    const [ok, ms] = r.split(':');
    return { ok: ok === '1', latencyMs: Number(ms) };
  });
}
