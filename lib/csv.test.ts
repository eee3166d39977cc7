import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.js';

describe('csvCell', () => {
  it('prefixes a quote to text a spreadsheet would run as a formula, and quotes it', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+1')).toBe(`"'+1+1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('-5+cmd|" /C calc"!A0')).toBe(`"'-5+cmd|"" /C calc""!A0"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('writes numbers, booleans and plain numbers in text as they are', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(-2.5e-7)).toBe('-2.5e-7');
    expect(csvCell(12n)).toBe('12');
    expect(csvCell(false)).toBe('false');
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell('+3.25')).toBe('+3.25');
  });

  it('quotes separators, quotes, line breaks and edge spaces, and leaves other text alone', () => {
    expect(csvCell('South, East')).toBe('"South, East"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});

describe('csvCell on hostile input', () => {
  it('classifies a huge number-like cell in linear time', () => {
    const started = performance.now();
    expect(csvCell(`-${'1'.repeat(200_000)}x`)).toMatch(/^"'-1/);
    expect(csvCell(`-${'1'.repeat(200_000)}`)).toMatch(/^-1+$/);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
