import { describe, expect, it } from 'vitest';
import { narrate, narrativeFindings } from './narrate.js';

const rows = [
  ['2024-Q1', 1200],
  ['2024-Q2', 1500.26],
  ['2024-Q3', 1350],
];

describe('narrate', () => {
  it('gives the total of an additive measure, the latest value and its change', () => {
    expect(narrate('Revenue', rows, 'SUM').text).toBe(
      'Revenue: 4,050.3 in total over 3 rows; the latest is 1,350 (-10% on the period before).',
    );
    expect(narrate('收入', rows, 'COUNT', 'ZH').text).toBe('收入：共 3 行，合计 4,050.3；最新值为 1,350（较上一期 -10%）。');
  });

  it('gives the range, never a total, of a measure that does not add up', () => {
    const avg = narrate('Average order', rows, 'AVG');
    expect(avg.text).toBe(
      'Average order: the average ranges from 1,200 to 1,500.3 over 3 rows; the latest is 1,350 (-10% on the period before).',
    );
    expect(avg.findings.total).toBeNull();
    expect(narrate('最高', rows, 'MAX', 'ZH').text).toBe(
      '最高：共 3 行，最大值在 1,200 至 1,500.3 之间；最新值为 1,350（较上一期 -10%）。',
    );
  });

  it('says when there is nothing, and leaves out a change it cannot compute', () => {
    expect(narrate('Revenue', [], 'SUM').text).toBe('Revenue: no data for these parameters.');
    expect(narrate('收入', [], 'SUM', 'ZH').text).toBe('收入：所选参数下没有数据。');
    expect(narrate('Revenue', [['x', 5]], 'SUM').text).toBe('Revenue: 5 in total over 1 row; the latest is 5.');
    expect(
      narrativeFindings(
        [
          ['a', 0],
          ['b', 5],
        ],
        'SUM',
      ).change,
    ).toBeNull();
  });
});
