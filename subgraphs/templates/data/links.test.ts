import { describe, expect, it } from 'vitest';
import { paramsDigest, paramsFromQuery, queryOfParams, reportPageUrl, signLink, verifyLink } from './links.js';
import type { Parameter } from './sections.js';

const SECRET = 'links:0123456789abcdef0123456789abcdef';

describe('signed links', () => {
  it('verifies what it signed until it expires', () => {
    const token = signLink('snapshot', { s: 'abc', exp: 2_000 }, SECRET);
    expect(verifyLink('snapshot', token, SECRET, 1_999)).toEqual({ ok: true, claims: { s: 'abc', exp: 2_000 } });
    expect(verifyLink('snapshot', token, SECRET, 2_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another secret, another purpose, and any changed byte', () => {
    const token = signLink('export', { id: 't', exp: 5_000 }, SECRET);
    expect(verifyLink('export', token, `${SECRET}x`, 0)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyLink('snapshot', token, SECRET, 0)).toEqual({ ok: false, reason: 'forged' });
    const [payload, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ id: 'u', exp: 5_000 })).toString('base64url');
    for (const forged of [`${other}.${mac}`, `${payload}.${mac!.slice(1)}`, payload!, `${token}.x`, '']) {
      expect(verifyLink('export', forged, SECRET, 0)).toEqual({ ok: false, reason: 'forged' });
    }
  });

  it('binds parameters whatever their order', () => {
    expect(paramsDigest({ a: 1, b: 'x' })).toBe(paramsDigest({ b: 'x', a: 1 }));
    expect(paramsDigest({ a: 1 })).not.toBe(paramsDigest({ a: 2 }));
  });
});

describe('parameters in URLs', () => {
  const declared: Parameter[] = [
    { name: 'region', type: 'STRING', required: false },
    { name: 'year', type: 'INTEGER', required: false },
    { name: 'share', type: 'FLOAT', required: false },
    { name: 'paid', type: 'BOOLEAN', required: false },
    { name: 'from', type: 'DATE', required: false },
  ];

  it('reads each by its declared type, leaving export options out', () => {
    expect(
      paramsFromQuery(declared, { region: 'North', year: '2025', share: '0.5', paid: 'false', from: '2025-01-01', sig: 'x', bom: '1' }),
    ).toEqual({
      region: 'North',
      year: 2025,
      share: 0.5,
      paid: false,
      from: '2025-01-01',
    });
  });

  it('keeps what does not read as its type, and undeclared names, for binding to refuse by name', () => {
    expect(paramsFromQuery(declared, { year: 'last', paid: 'yes', country: 'NO' })).toEqual({ year: 'last', paid: 'yes', country: 'NO' });
    expect(() => paramsFromQuery(declared, { region: ['a', 'b'] })).toThrow(/params.region/);
  });

  it('writes them back as the same query, unset ones left out', () => {
    const params = { region: 'Nord & Sør', year: 2025, paid: true, from: null };
    expect(String(queryOfParams(params))).toBe('region=Nord+%26+S%C3%B8r&year=2025&paid=true');
    expect(paramsFromQuery(declared, Object.fromEntries(queryOfParams(params)))).toEqual({ region: 'Nord & Sør', year: 2025, paid: true });
    expect(reportPageUrl('https://r.example', 'abc', params)).toBe(
      'https://r.example/reports/abc?region=Nord+%26+S%C3%B8r&year=2025&paid=true',
    );
    expect(reportPageUrl('https://r.example', 'abc', {})).toBe('https://r.example/reports/abc');
  });
});
