import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../delivery/webhook.js';
import { backoffMs, occurrenceLabel, runDeliveryStatus } from './deliveries.js';

describe('backoffMs', () => {
  it('doubles from the base with each attempt, spread by up to 10%', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 60, () => 0))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(backoffMs(1, 60, () => 0.999)).toBe(65_994);
  });
});

describe('occurrenceLabel', () => {
  it("names the occurrence in the schedule's own time zone", () => {
    expect(occurrenceLabel(new Date('2026-12-01T00:00:00Z'), 'Asia/Shanghai')).toEqual({
      day: '2026-12-01',
      when: '2026-12-01 08:00 (Asia/Shanghai)',
    });
    expect(occurrenceLabel(new Date('2026-12-01T00:00:00Z'), 'America/New_York').day).toBe('2026-11-30');
  });
});

describe('runDeliveryStatus', () => {
  const of = (...statuses: string[]) => runDeliveryStatus(statuses.map((status) => ({ status }) as never));
  it('sums up a run: pending while any is, partial when some failed', () => {
    expect(of()).toBe('NONE');
    expect(of('DELIVERED', 'PENDING')).toBe('PENDING');
    expect(of('DELIVERED', 'DELIVERED')).toBe('DELIVERED');
    expect(of('DELIVERED', 'FAILED')).toBe('PARTIAL');
    expect(of('FAILED', 'CANCELLED')).toBe('FAILED');
  });
});

describe('signatureHeader', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as `openssl dgst -sha256 -hmac` computes it', () => {
    const body = '{"id":"d1","type":"report.delivered"}';
    expect(signatureHeader('whsec_test', body, 1767225600)).toBe(
      't=1767225600,v1=9b3c118884a578385b5d24adb95be4ed1f238f5955afd12a3920f58115bdab40',
    );
  });
});
