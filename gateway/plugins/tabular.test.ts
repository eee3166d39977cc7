import { describe, expect, it } from 'vitest';
import { csvLine } from '../../lib/csv.js';
import { toCsv } from './tabular.js';

describe('toCsv', () => {
  it('neutralises header and body cells of a datasetQuery result', () => {
    const data = {
      datasetQuery: {
        columns: [{ name: '=label' }, { name: 'amount' }],
        rows: [
          ['@SUM(A1)', -5],
          ['North', 2.5],
        ],
      },
    };
    expect(toCsv(data)).toBe(`"'=label",amount\r\n"'@SUM(A1)",-5\r\nNorth,2.5\r\n`);
  });

  it('flattens a list of objects', () => {
    expect(toCsv({ datasets: [{ name: '+x', owner: { name: 'a' } }] })).toBe(`name,owner.name\r\n"'+x",a\r\n`);
    expect(csvLine(['a', 1])).toBe('a,1\r\n');
  });
});
