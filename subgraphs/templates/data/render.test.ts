import { describe, expect, it } from 'vitest';
import { errorOf } from '../../../test/support/errors.js';
import { bindParameters, cacheKey } from './render.js';

type Declared = Parameters<typeof bindParameters>[0];

const declared: Declared = [
  { name: 'region', type: 'STRING', required: true },
  { name: 'year', type: 'INTEGER', required: false, default: 2024 },
  { name: 'threshold', type: 'FLOAT', required: false },
  { name: 'active', type: 'BOOLEAN', required: false, default: true },
  { name: 'from', type: 'DATE', required: false },
];

describe('bindParameters', () => {
  it('fills in defaults and nulls for parameters not given', () => {
    expect(bindParameters(declared, { region: 'EU' })).toEqual({ region: 'EU', year: 2024, threshold: null, active: true, from: null });
  });

  it('keeps given values over defaults, including false and 0', () => {
    expect(bindParameters(declared, { region: 'EU', year: 0, threshold: 0.5, active: false, from: '2024-03-01' })).toEqual({
      region: 'EU',
      year: 0,
      threshold: 0.5,
      active: false,
      from: '2024-03-01',
    });
  });

  it('uses the default when a parameter is given as null', () => {
    expect(bindParameters(declared, { region: 'EU', year: null }).year).toBe(2024);
  });

  it('requires required parameters without a default', () => {
    expect(errorOf(() => bindParameters(declared, {}))).toEqual({
      message: 'params.region: required',
      code: 'BAD_USER_INPUT',
      field: 'params.region',
      http: { status: 400 },
    });
    expect(errorOf(() => bindParameters(declared, { region: null }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'params.region' });
    expect(bindParameters([{ name: 'region', type: 'STRING', required: true, default: 'US' }], undefined)).toEqual({ region: 'US' });
  });

  it('rejects a parameter the template does not declare', () => {
    expect(errorOf(() => bindParameters(declared, { region: 'EU', colour: 'red' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'params.colour',
      message: 'params.colour: the template has no such parameter',
    });
  });

  it('accepts null or undefined as no parameters and rejects anything but an object', () => {
    const optional: Declared = [{ name: 'year', type: 'INTEGER', required: false }];
    expect(bindParameters(optional, null)).toEqual({ year: null });
    expect(bindParameters(optional, undefined)).toEqual({ year: null });
    for (const given of ['year=2024', 2024, true, [2024]]) {
      expect(errorOf(() => bindParameters(optional, given))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'params' });
    }
  });

  it.each([
    ['region', 5, 'STRING'],
    ['year', 2024.5, 'INTEGER'],
    ['year', '2024', 'INTEGER'],
    ['threshold', '0.5', 'FLOAT'],
    ['active', 'true', 'BOOLEAN'],
    ['active', 1, 'BOOLEAN'],
    ['from', 'yesterday', 'DATE'],
    ['from', '2024-13-01', 'DATE'],
    ['from', '', 'DATE'],
    ['from', 20240301, 'DATE'],
  ])('rejects %s = %j as not a valid %s', (name, value, type) => {
    expect(errorOf(() => bindParameters(declared, { region: 'EU', [name]: value }))).toEqual({
      message: `params.${name}: not a valid ${type}`,
      code: 'BAD_USER_INPUT',
      field: `params.${name}`,
      http: { status: 400 },
    });
  });

  it('accepts integers for FLOAT parameters and calendar dates for DATE parameters', () => {
    expect(bindParameters(declared, { region: 'EU', threshold: 3, from: '2024-02-29' })).toMatchObject({
      threshold: 3,
      from: '2024-02-29',
    });
  });

  it.each([
    ['from', '2024-03-01T10:00:00Z', 'DATE'],
    ['from', '2024-02-30', 'DATE'],
    ['from', '2023-02-29', 'DATE'],
    ['from', 'March 5', 'DATE'],
    ['from', '1', 'DATE'],
    ['year', 2 ** 60, 'INTEGER'],
    ['threshold', Number.POSITIVE_INFINITY, 'FLOAT'],
  ])('rejects %s = %j, which only a lenient parser would take, as not a valid %s', (name, value, type) => {
    expect(errorOf(() => bindParameters(declared, { region: 'EU', [name]: value }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: `params.${name}`,
      message: `params.${name}: not a valid ${type}`,
    });
  });

  it("reads only the caller's own parameters, never inherited properties", () => {
    const withBuiltinName = [{ name: 'toString', type: 'STRING' as const, required: false, default: 'fallback' }];
    expect(bindParameters(withBuiltinName, {})).toEqual({ toString: 'fallback' });
  });
});

describe('cacheKey', () => {
  const template = { id: 'tpl-1', version: 3 };

  it('names the template, its version and the data version', () => {
    expect(cacheKey(template, 'data-7', { region: 'EU' })).toMatch(/^report:tpl-1:3:data-7:[0-9a-f]{32}$/);
  });

  it('is the same for the same parameters in any order', () => {
    expect(cacheKey(template, 'data-7', { region: 'EU', year: 2024, active: true })).toBe(
      cacheKey(template, 'data-7', { active: true, year: 2024, region: 'EU' }),
    );
  });

  it('prefers templateId (a report head) over id', () => {
    expect(cacheKey({ templateId: 'tpl-1', version: 3 }, 'data-7', {})).toBe(cacheKey(template, 'data-7', {}));
    expect(cacheKey({ id: 'row', templateId: 'tpl-1', version: 3 }, 'data-7', {})).toBe(cacheKey(template, 'data-7', {}));
  });

  it('changes with the template version, the data version and every parameter value', () => {
    const base = cacheKey(template, 'data-7', { region: 'EU', year: 2024 });
    const others = [
      cacheKey({ ...template, version: 4 }, 'data-7', { region: 'EU', year: 2024 }),
      cacheKey(template, 'data-8', { region: 'EU', year: 2024 }),
      cacheKey(template, 'data-7', { region: 'US', year: 2024 }),
      cacheKey(template, 'data-7', { region: 'EU', year: 2025 }),
      cacheKey(template, 'data-7', { region: 'EU', year: '2024' }),
      cacheKey(template, 'data-7', { region: 'EU', year: null }),
      cacheKey(template, 'data-7', { region: 'EU' }),
      cacheKey({ id: 'tpl-2', version: 3 }, 'data-7', { region: 'EU', year: 2024 }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('does not mix up a value with a neighbouring name', () => {
    expect(cacheKey(template, 'd', { a: 'b', c: 'd' })).not.toBe(cacheKey(template, 'd', { a: 'b,c', c: 'd' }));
    expect(cacheKey(template, 'd', { ab: 'c' })).not.toBe(cacheKey(template, 'd', { a: 'bc' }));
  });
});
