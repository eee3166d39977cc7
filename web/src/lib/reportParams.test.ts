import { describe, expect, it } from 'vitest';
import { paramsFromSearch, readParam, reportPath } from './reportParams.js';

const parameters = [
  { name: 'region', type: 'STRING' as const, default: 'North' },
  { name: 'top', type: 'INTEGER' as const, default: 5 },
  { name: 'from', type: 'DATE' as const },
  { name: 'net', type: 'BOOLEAN' as const },
];

describe('report parameters in the address', () => {
  it('round-trips typed values through the query string', () => {
    const params = { region: 'South & East', top: 12, from: '2024-01-01', net: false };
    const path = reportPath('t 1', params);
    expect(path).toBe('/reports/t%201?region=South+%26+East&top=12&from=2024-01-01&net=false');
    expect(paramsFromSearch(parameters, new URLSearchParams(path.split('?')[1]))).toEqual(params);
  });

  it('takes defaults for names left out or given empty, and ignores names not declared', () => {
    expect(paramsFromSearch(parameters, new URLSearchParams('region=&net=true&admin=1'))).toEqual({
      region: 'North',
      top: 5,
      from: null,
      net: true,
    });
    expect(reportPath('7', {})).toBe('/reports/7');
    expect(reportPath('7', { region: null, from: undefined })).toBe('/reports/7');
  });

  it('leaves out values at their default in the address bar, and names every value in a link', () => {
    const params = { region: 'North', top: 6, from: null, net: null };
    expect(reportPath('7', params, parameters)).toBe('/reports/7?top=6');
    expect(reportPath('7', params)).toBe('/reports/7?region=North&top=6');
  });

  it('types text as the server does: numbers and booleans only when they read as such', () => {
    expect(readParam('INTEGER', '12')).toBe(12);
    expect(readParam('FLOAT', '-1.5e3')).toBe(-1500);
    expect(readParam('INTEGER', 'abc')).toBe('abc');
    expect(readParam('INTEGER', ' ')).toBe(' ');
    expect(readParam('BOOLEAN', 'TRUE')).toBe('TRUE');
    expect(readParam('BOOLEAN', 'false')).toBe(false);
    expect(readParam('DATE', '')).toBeNull();
  });
});
