import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellValue, sheetName, workbookWriter, writeTableSheet } from './xlsx.js';

describe('sheetName', () => {
  it("follows Excel's rules: 31 characters, no []:*?/\\, unique regardless of case", () => {
    const taken = new Set<string>();
    expect(sheetName('Revenue: by region [2025]', taken)).toBe('Revenue  by region  2025');
    expect(sheetName('revenue  BY region  2025', taken)).toBe('revenue  BY region  2025 2');
    expect(sheetName('x'.repeat(40), taken)).toHaveLength(31);
    expect(sheetName('x'.repeat(40), taken)).toBe(`${'x'.repeat(29)} 2`);
    expect(sheetName('///', taken)).toBe('Sheet');
  });
});

describe('cellValue', () => {
  it('types cells by column: dates as dates, numbers as numbers, text as text', () => {
    expect(cellValue('2025-03-01', 'DATE')).toEqual(new Date('2025-03-01T00:00:00Z'));
    expect(cellValue('2025-03-01T10:00:00.000Z', 'TIMESTAMP')).toEqual(new Date('2025-03-01T10:00:00Z'));
    expect(cellValue('9007199254740993', 'INTEGER')).toBe(9007199254740992);
    expect(cellValue('=HYPERLINK("x")', 'TEXT')).toBe('=HYPERLINK("x")');
    expect(cellValue(null, 'FLOAT')).toBeNull();
  });
});

describe('writeTableSheet', () => {
  it('writes text that looks like a formula as text, and reads back typed', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const workbook = workbookWriter(out);
    const columns = [
      { name: 'note', type: 'TEXT' as const },
      { name: 'day', type: 'DATE' as const },
      { name: 'amount', type: 'FLOAT' as const },
    ];
    await writeTableSheet(workbook, 'Notes', columns, [['=HYPERLINK("http://evil","x")', '2025-01-02', 1.5]], out);
    await workbook.commit();
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = read.getWorksheet('Notes')!;
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe('=HYPERLINK("http://evil","x")');
    expect(sheet.getCell('B2').value).toEqual(new Date('2025-01-02T00:00:00Z'));
    expect(sheet.getCell('C2').value).toBe(1.5);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});

describe('text Excel opens without repairs', () => {
  it('replaces what XML 1.0 forbids (U+FFFE, U+FFFF, unpaired surrogates) and keeps the rest', () => {
    expect(cellValue('a\uFFFEb\uFFFFc', 'TEXT')).toBe('a\uFFFDb\uFFFDc');
    expect(cellValue('x\uD800y\uDC00', 'TEXT')).toBe('x\uFFFDy\uFFFD');
    expect(cellValue('销售 😀', 'TEXT')).toBe('销售 😀');
  });

  it('names no sheet with an apostrophe first or last, nor "History"', () => {
    const taken = new Set<string>();
    expect(sheetName("'quoted'", taken)).toBe('quoted');
    expect(sheetName('History', taken)).toBe('History (report)');
    expect(sheetName("''", taken)).toBe('Sheet');
    expect(sheetName(`${'a'.repeat(30)}'b`, taken)).toBe('a'.repeat(30)); // cut, then cleaned: no apostrophe last
    expect(sheetName(`${'b'.repeat(30)}😀`, taken)).toBe(`${'b'.repeat(30)}😀`); // a pair is one character
  });

  it('writes such text into a workbook ExcelJS reads back', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const workbook = workbookWriter(out);
    await writeTableSheet(workbook, sheetName("'History'", new Set()), [{ name: 'v\uFFFE', type: 'TEXT' }], [['bad \uFFFF value']], out);
    await workbook.commit();
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = back.worksheets[0]!;
    expect(sheet.name).toBe('History (report)');
    expect(sheet.getCell('A1').value).toBe('v\uFFFD');
    expect(sheet.getCell('A2').value).toBe('bad \uFFFD value');
  });
});
