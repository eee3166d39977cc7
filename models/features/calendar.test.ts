import { describe, expect, it } from 'vitest';
import { calendarPeriods, timeAxis, unitOf } from './calendar.js';

describe('timeAxis', () => {
  it('counts calendar months, leaving a gap where a month is missing', () => {
    const axis = timeAxis(['1958-03-01', '1958-04-01', '1958-05-01', '1958-07-01'], 4);
    expect(axis.unit).toBe('month');
    expect(Array.from(axis.positions)).toEqual([0, 1, 2, 4]);
  });

  it('counts days and hours, and quarters by their months', () => {
    expect(Array.from(timeAxis(['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-03'], 4).positions)).toEqual([0, 1, 2, 4]);
    expect(timeAxis(['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z'], 2).unit).toBe('hour');
    expect(Array.from(timeAxis(['2024-01-01', '2024-04-01', '2024-10-01'], 3).positions)).toEqual([0, 1, 3]);
  });

  it('falls back to indices without readable, increasing timestamps', () => {
    expect(timeAxis(null, 3)).toEqual({ unit: 'none', positions: Float64Array.of(0, 1, 2) });
    expect(timeAxis(['2024-01-02', '2024-01-01'], 2).unit).toBe('none');
    expect(timeAxis(['x', 'y'], 2).unit).toBe('none');
  });
});

describe('calendar periods', () => {
  it('proposes weeks and years for days, years for months, nothing for years', () => {
    expect(unitOf(86_400_000)).toBe('day');
    expect(calendarPeriods('day')).toEqual([365.25, 7]);
    expect(calendarPeriods('month')).toEqual([12]);
    expect(calendarPeriods('year')).toEqual([]);
  });
});
