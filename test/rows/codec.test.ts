/** RFC 4180 text through csv-parse/csv-stringify: quoting, embedded commas, quotes and line breaks, empty cells. */
import { describe, it, expect } from 'vitest';
import { csvLine, csvText, parseCsv, parseCsvRecords } from '../../src/rows/codec.js';

describe('csvLine', () => {
  it('writes plain values as is and ends with CRLF', () => {
    expect(csvLine(['abc', 1.5, -0.001, true, false, ''])).toBe('abc,1.5,-0.001,true,false,\r\n');
    expect(csvLine(['a', 1, 'b,c', Number.NaN, true])).toBe('a,1,"b,c",,true\r\n');
  });
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvLine(['a,b'])).toBe('"a,b"\r\n');
    expect(csvLine(['say "hi"'])).toBe('"say ""hi"""\r\n');
    expect(csvLine(['line1\nline2'])).toBe('"line1\nline2"\r\n');
    expect(csvLine(['line1\r\nline2'])).toBe('"line1\r\nline2"\r\n');
    expect(csvLine(['cr\r'])).toBe('"cr\r"\r\n');
  });
  it('writes non-finite numbers and null/undefined as empty cells', () => {
    expect(csvLine([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined])).toBe(',,,,\r\n');
  });
  it('writes several records, and nothing for none', () => {
    expect(
      csvText([
        ['a', 1],
        ['b', 2],
      ]),
    ).toBe('a,1\r\nb,2\r\n');
    expect(csvText([])).toBe('');
  });
});

describe('parseCsv', () => {
  it('parses CRLF, LF and CR line ends without a trailing empty record', () => {
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a,b\rc,d\r')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('')).toEqual([]);
  });
  it('keeps empty fields, drops a BOM and skips blank lines', () => {
    expect(parseCsv(',a,\r\n')).toEqual([['', 'a', '']]);
    expect(parseCsv('\uFEFFa,b\r\n\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
  it('gives the line each record ends on', () => {
    expect(parseCsvRecords('h\r\n\r\n"x\ny"\r\nz\r\n').map((r) => r.line)).toEqual([1, 4, 5]);
  });
  it('throws on an unclosed quote', () => {
    expect(() => parseCsv('a,"b\r\n')).toThrow(/quote/i);
  });
  it('round-trips tricky values', () => {
    const rows = [
      ['plain', 'with,comma', 'with "quotes"', '"', '""'],
      ['multi\r\nline', 'lf\nonly', 'trailing\r\n', '', ' spaced '],
      ['ünïcödé', ',', '\r\n', 'x'],
    ];
    expect(parseCsv(csvText(rows))).toEqual(rows);
  });
  it('round-trips mixed types as their written strings', () => {
    expect(parseCsv(csvLine(['name', 3, 0.25, Number.NaN, null, false]))).toEqual([
      ['name', '3', '0.25', '', '', 'false'],
    ]);
  });
});
