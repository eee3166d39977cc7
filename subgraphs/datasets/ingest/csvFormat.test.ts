import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../../test/support/errors.js';
import { decodeHead, detectDelimiter, detectEncoding, fitsType, inferType, readLayout } from './csvFormat.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('detectEncoding', () => {
  it('recognises a UTF-8 byte order mark, even when UTF-8 is asked for', () => {
    const head = utf8('\ufeffa,b\n1,2\n');
    expect(detectEncoding(head, 'AUTO')).toBe('UTF8_BOM');
    expect(detectEncoding(head, null)).toBe('UTF8_BOM');
    expect(detectEncoding(head, 'UTF8')).toBe('UTF8_BOM');
  });

  it('takes valid multi-byte UTF-8 as UTF-8', () => {
    expect(detectEncoding(utf8('城市,销售额\n北京,100\n'), 'AUTO')).toBe('UTF8');
    expect(detectEncoding(utf8('a,b\n1,2\n'), undefined)).toBe('UTF8');
  });

  it('falls back to GBK for Chinese text that is not valid UTF-8', () => {
    const gbk = iconv.encode('城市,销售额\n北京,100\n上海,200\n', 'gbk');
    expect(detectEncoding(gbk, 'AUTO')).toBe('GBK');
  });

  it('ignores a character cut by the end of the head', () => {
    const whole = utf8('a,b\n北京,1\n上海,2');
    expect(detectEncoding(whole.subarray(0, whole.length - 4), 'AUTO')).toBe('UTF8');
  });

  it('obeys an explicit GBK', () => {
    expect(detectEncoding(utf8('\ufeffa,b\n'), 'GBK')).toBe('GBK');
  });

  it('rejects bytes that are neither UTF-8 nor GBK, naming the first bad line', () => {
    const head = Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0xff, 0xfe, 0x0a, 0x63, 0x0a]);
    expect(errorOf(() => detectEncoding(head, 'AUTO'))).toMatchObject({ code: 'BAD_USER_INPUT', line: 3 });
  });
});

describe('decodeHead', () => {
  it('drops the byte order mark and decodes GBK', () => {
    expect(decodeHead(utf8('\ufeffa,b'), 'UTF8_BOM')).toBe('a,b');
    expect(decodeHead(iconv.encode('城市', 'gbk'), 'GBK')).toBe('城市');
  });
});

describe('detectDelimiter', () => {
  it('picks each candidate delimiter when it splits the lines evenly', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n', '"', true)).toBe(',');
    expect(detectDelimiter('a;b;c\n1;2;3\n', '"', true)).toBe(';');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n', '"', true)).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3\n', '"', true)).toBe('|');
  });

  it('prefers semicolons over commas used as decimal separators', () => {
    expect(detectDelimiter('name;price;qty\nx;2,5;1\ny;3,75;2\n', '"', true)).toBe(';');
  });

  it('ignores delimiters inside quoted fields', () => {
    expect(detectDelimiter('a|b\n"x,y,z"|1\n"p,q"|2\n', '"', true)).toBe('|');
  });

  it('defaults to a comma for a single column', () => {
    expect(detectDelimiter('name\nalice\nbob\n', '"', true)).toBe(',');
  });
});

describe('inferType', () => {
  it('infers the narrowest type that fits every value', () => {
    expect(inferType(['1', '-2', ' 3 ', '+4'])).toBe('INTEGER');
    expect(inferType(['1', '2.5', '.5', '1e3'])).toBe('FLOAT');
    expect(inferType(['true', 'F', 'yes', 'NO'])).toBe('BOOLEAN');
    expect(inferType(['2024-01-31', '2024-02-01'])).toBe('DATE');
    expect(inferType(['2024-01-01T10:00:00Z', '2024-01-01 10:00:00+08:00', '2024-01-02 08:30'])).toBe('TIMESTAMP');
  });

  it('falls back to TEXT for mixed or unreadable columns', () => {
    expect(inferType(['1', 'x'])).toBe('TEXT');
    expect(inferType(['1', 'true'])).toBe('TEXT');
    expect(inferType(['1,000'])).toBe('TEXT');
    expect(inferType(['NaN'])).toBe('TEXT');
    expect(inferType(['Infinity'])).toBe('TEXT');
    expect(inferType(['2024-13-01'])).toBe('TEXT');
  });

  it('widens to FLOAT for integers longer than 18 digits', () => {
    expect(inferType(['123456789012345678'])).toBe('INTEGER');
    expect(inferType(['1234567890123456789'])).toBe('FLOAT');
  });

  it('keeps numbers written with leading zeros (zip codes, identifiers) as TEXT', () => {
    expect(inferType(['02134', '10001'])).toBe('TEXT');
    expect(inferType(['00501'])).toBe('TEXT');
    expect(inferType(['-007', '5'])).toBe('TEXT');
    expect(inferType([' 0123.5 ', '1.5'])).toBe('TEXT');
    expect(inferType(['00'])).toBe('TEXT');
    expect(inferType(['0', '10', '-0'])).toBe('INTEGER');
    expect(inferType(['0.5', '-0.5', '0', '0e3'])).toBe('FLOAT');
    // PostgreSQL itself reads them as numbers; only the inference keeps them as text.
    expect(fitsType('02134', 'INTEGER')).toBe(true);
  });

  it('accepts only real calendar dates as DATE', () => {
    expect(inferType(['2024-02-29'])).toBe('DATE');
    expect(inferType(['2000-02-29', '0001-01-01', ' 2024-12-31 '])).toBe('DATE');
    expect(inferType(['2024-02-30'])).toBe('TEXT');
    expect(inferType(['2023-02-29'])).toBe('TEXT');
    expect(inferType(['1900-02-29'])).toBe('TEXT');
    expect(inferType(['2024-04-31'])).toBe('TEXT');
    expect(inferType(['2024-00-10'])).toBe('TEXT');
    expect(inferType(['2024-01-00'])).toBe('TEXT');
    expect(inferType(['0000-01-01'])).toBe('TEXT');
  });

  it('accepts only real dates and clock times as TIMESTAMP, with an optional Z or offset', () => {
    for (const ok of [
      '2024-02-29T23:59:59.999999Z',
      '2024-02-29 00:00',
      '2024-01-01t10:00:00z',
      '2024-01-01 10:00:00 +08:00',
      '2024-01-01 10:00+0800',
      '2024-01-01 10:00-05',
      '2024-01-01 10:00:00.5-15:59',
    ]) {
      expect([ok, fitsType(ok, 'TIMESTAMP')]).toEqual([ok, true]);
    }
    for (const bad of [
      '2024-02-30 10:00',
      '2023-02-29T00:00:00Z',
      '2024-01-01 24:00',
      '2024-01-01 23:60',
      '2024-01-01 23:59:60',
      '2024-01-01 10:00 +16:00',
      '2024-01-01 10:00+08:60',
      '2024-01-01 10:00:00.1234567',
      '2024-01-01 10:00 CET',
    ]) {
      expect([bad, fitsType(bad, 'TIMESTAMP')]).toEqual([bad, false]);
    }
    expect(inferType(['2024-02-30 10:00:00'])).toBe('TEXT');
  });

  it('widens a column mixing dates and timestamps to TIMESTAMP', () => {
    expect(inferType(['2024-01-01', '2024-01-02 10:30:00'])).toBe('TIMESTAMP');
    expect(inferType(['2024-01-01T10:00:00Z', '2024-01-02', null])).toBe('TIMESTAMP');
    expect(inferType(['2024-01-01', '2024-02-30 10:00'])).toBe('TEXT');
    expect(inferType(['2024-01-01', 'soon'])).toBe('TEXT');
  });

  it('rejects floats PostgreSQL reports as out of range', () => {
    expect(fitsType('1e400', 'FLOAT')).toBe(false);
    expect(fitsType('-1e400', 'FLOAT')).toBe(false);
    expect(fitsType('1e-400', 'FLOAT')).toBe(false);
    expect(fitsType('0e-400', 'FLOAT')).toBe(true);
    expect(fitsType('1e-310', 'FLOAT')).toBe(true);
    expect(inferType(['1', '1e400'])).toBe('TEXT');
  });

  it('takes only the whitespace PostgreSQL skips around a value', () => {
    expect(inferType([' 1', '\t2\r\n', '3 '])).toBe('INTEGER');
    expect(inferType(['\u00a01'])).toBe('TEXT');
    expect(inferType(['2024-01-01\u3000'])).toBe('TEXT');
  });

  it('classifies huge numeric-looking cells in linear time', () => {
    const cells: Array<[string, string]> = [
      ['1'.repeat(100_000) + 'x', 'TEXT'],
      ['1'.repeat(100_000) + '.' + '1'.repeat(100_000) + 'x', 'TEXT'],
      ['1' + ' '.repeat(100_000) + '1', 'TEXT'],
      [' '.repeat(100_000) + 'x' + ' '.repeat(100_000) + 'x', 'TEXT'],
      ['2024-01-01 10:00' + ' '.repeat(100_000) + 'x', 'TEXT'],
      ['2024-01-01 10:00' + '\t'.repeat(100_000), 'TIMESTAMP'],
      ['0'.repeat(100_000) + 'x', 'TEXT'],
      ['1e' + '1'.repeat(100_000) + 'x', 'TEXT'],
      // A number PostgreSQL reads as out of range for double precision.
      ['1'.repeat(100_000), 'TEXT'],
    ];
    for (const [cell, type] of cells) {
      const started = performance.now();
      for (const t of ['INTEGER', 'FLOAT', 'BOOLEAN', 'DATE', 'TIMESTAMP'] as const) fitsType(cell, t);
      const inferred = inferType([cell]);
      const ms = performance.now() - started;
      expect(inferred).toBe(type);
      expect(ms).toBeLessThan(200);
    }
    expect(inferType(['1'.repeat(300)])).toBe('FLOAT');
  });

  it('skips nulls, and calls an all-null or empty column TEXT', () => {
    expect(inferType([null, '5', null])).toBe('INTEGER');
    expect(inferType([null, null])).toBe('TEXT');
    expect(inferType([])).toBe('TEXT');
  });
});

describe('fitsType', () => {
  it('lets integers fit FLOAT and anything fit TEXT', () => {
    expect(fitsType('5', 'FLOAT')).toBe(true);
    expect(fitsType('12345678901234567890', 'FLOAT')).toBe(true);
    expect(fitsType('five', 'FLOAT')).toBe(false);
    expect(fitsType('anything', 'TEXT')).toBe(true);
    expect(fitsType('2.5', 'INTEGER')).toBe(false);
    expect(fitsType('10:00', 'TIMESTAMP')).toBe(false);
  });

  it('lets a date fit a TIMESTAMP column, at midnight, as PostgreSQL reads it', () => {
    expect(fitsType('2024-01-01', 'TIMESTAMP')).toBe(true);
    expect(fitsType('2024-02-30', 'TIMESTAMP')).toBe(false);
    expect(fitsType('2024-01-01 10:00', 'DATE')).toBe(false);
  });
});

describe('readLayout', () => {
  it('reads the encoding, delimiter, header and column types of a GBK file', () => {
    const head = iconv.encode('城市;销售额;增长\n北京;100;0.5\n上海;200;-1.25\n', 'gbk');
    expect(readLayout(head, {}, true)).toEqual({
      encoding: 'GBK',
      delimiter: ';',
      quote: '"',
      header: true,
      nullTokens: [''],
      columns: [
        { name: '城市', type: 'TEXT' },
        { name: '销售额', type: 'INTEGER' },
        { name: '增长', type: 'FLOAT' },
      ],
      sampleRows: 2,
    });
  });

  it('trims header names and names columns itself without a header', () => {
    expect(readLayout(utf8(' a , b \n1,2\n'), {}, true).columns.map((c) => c.name)).toEqual(['a', 'b']);
    const layout = readLayout(utf8('1,x\n3,y\n'), { header: false }, true);
    expect(layout.columns).toEqual([
      { name: 'column_1', type: 'INTEGER' },
      { name: 'column_2', type: 'TEXT' },
    ]);
    expect(layout.sampleRows).toBe(2);
  });

  it('treats empty fields and the given null tokens as nulls', () => {
    const csv = utf8('a,b\n1,NA\n,7\n');
    expect(readLayout(csv, {}, true).columns).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'TEXT' },
    ]);
    expect(readLayout(csv, { nullTokens: ['NA'] }, true).columns).toEqual([
      { name: 'a', type: 'TEXT' },
      { name: 'b', type: 'INTEGER' },
    ]);
  });

  it('treats missing trailing fields as nulls', () => {
    expect(readLayout(utf8('a,b\n1,2\n3\n'), {}, true).columns.map((c) => c.type)).toEqual(['INTEGER', 'INTEGER']);
  });

  it('uses the given delimiter instead of detecting one', () => {
    const layout = readLayout(utf8('a;b,c\n1;2,3\n'), { delimiter: ';' }, true);
    expect(layout.delimiter).toBe(';');
    expect(layout.columns.map((c) => c.name)).toEqual(['a', 'b,c']);
  });

  it('leaves a record cut by the end of the head for later', () => {
    const layout = readLayout(utf8('a,b\n1,2\n3,"unterminated'), {}, false);
    expect(layout.sampleRows).toBe(1);
    expect(layout.columns.map((c) => c.type)).toEqual(['INTEGER', 'INTEGER']);
  });

  it('reports an unclosed quote in a complete file with its line', () => {
    expect(errorOf(() => readLayout(utf8('a,b\n1,2\n3,"unterminated\n'), {}, true))).toMatchObject({ code: 'BAD_USER_INPUT', line: 3 });
  });

  it('rejects empty files, header-only files and duplicate column names', () => {
    expect(errorOf(() => readLayout(Buffer.alloc(0), {}, false))).toMatchObject({ code: 'BAD_USER_INPUT', message: 'the file is empty' });
    expect(errorOf(() => readLayout(utf8(' \n\n'), {}, true))).toMatchObject({ message: 'the file is empty' });
    expect(errorOf(() => readLayout(utf8('a,b\n'), {}, true))).toMatchObject({ message: 'the file has a header but no rows' });
    expect(errorOf(() => readLayout(utf8('a,a\n1,2\n'), {}, true))).toMatchObject({ code: 'BAD_USER_INPUT', column: 2 });
  });

  it('rejects a delimiter or quote that is not one character, or a delimiter equal to the quote', () => {
    const csv = utf8('a,b\n1,2\n');
    expect(errorOf(() => readLayout(csv, { delimiter: ';;' }, true))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.delimiter' });
    expect(errorOf(() => readLayout(csv, { quote: "''" }, true))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.quote' });
    expect(errorOf(() => readLayout(csv, { delimiter: '"' }, true))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.delimiter' });
  });
});
