import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('CSV downloads', () => {
  it('neutralise cells a spreadsheet would run as formulas, keeping numbers as they are', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('+1 555')).toBe(`"'+1 555"`);
  });

  it('quote per RFC 4180, end lines with CRLF and start with a BOM for Excel', () => {
    const text = toCsv(
      [{ name: 'city' }, { name: 'n' }],
      [
        ['上海, 浦东', 1],
        [null, 2.5],
      ],
    );
    expect(text).toBe('\uFEFFcity,n\r\n"上海, 浦东",1\r\n,2.5\r\n');
  });
});
