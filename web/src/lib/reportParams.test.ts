import { describe, expect, it } from 'vitest';
import { paramsFromSearch, reportPath } from './reportParams.js';

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

  it('takes defaults for names left out, null for names given empty, and ignores names not declared', () => {
    expect(paramsFromSearch(parameters, new URLSearchParams('region=&net=true&admin=1'))).toEqual({
      region: null,
      top: 5,
      from: null,
      net: true,
    });
    expect(reportPath('7', {})).toBe('/reports/7');
  });

  it('leaves out parameters at their default, and keeps an emptied one whose default is a value', () => {
    expect(reportPath('7', { region: 'North', top: 5, from: null, net: null }, parameters)).toBe('/reports/7');
    const path = reportPath('7', { region: null, top: 6, from: '2024-02-01', net: null }, parameters);
    expect(path).toBe('/reports/7?region=&top=6&from=2024-02-01');
    expect(paramsFromSearch(parameters, new URLSearchParams(path.split('?')[1]))).toEqual({
      region: null,
      top: 6,
      from: '2024-02-01',
      net: null,
    });
  });
});
