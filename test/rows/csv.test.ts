import { describe, it, expect } from 'vitest';
import { csvField, csvLine, parseCsv } from '../../src/rows/csv.js';

describe('csvField', () => {
  it('writes plain values as is', () => {
    expect(csvField('abc')).toBe('abc');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(-0.001)).toBe('-0.001');
    expect(csvField(true)).toBe('true');
    expect(csvField(false)).toBe('false');
    expect(csvField('')).toBe('');
  });
  it('quotes commas, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('line1\r\nline2')).toBe('"line1\r\nline2"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });
  it('writes non-finite numbers and null/undefined as empty', () => {
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvField(Number.NEGATIVE_INFINITY)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});

describe('csvLine', () => {
  it('joins with commas and ends with CRLF', () => {
    expect(csvLine(['a', 1, 'b,c', Number.NaN, true])).toBe('a,1,"b,c",,true\r\n');
  });
});

describe('parseCsv', () => {
  it('parses CRLF and LF line ends without a trailing empty record', () => {
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('')).toEqual([]);
  });
  it('keeps empty fields', () => {
    expect(parseCsv(',a,\r\n')).toEqual([['', 'a', '']]);
    expect(parseCsv('""\r\n')).toEqual([['']]);
  });
  it('round-trips tricky values', () => {
    const rows = [
      ['plain', 'with,comma', 'with "quotes"', '"', '""'],
      ['multi\r\nline', 'lf\nonly', 'trailing\r\n', '', ' spaced '],
      ['ünïcödé', ',', '\r\n', 'x'],
    ];
    const text = rows.map((r) => csvLine(r)).join('');
    expect(parseCsv(text)).toEqual(rows);
  });
  it('round-trips mixed types as their written strings', () => {
    const text = csvLine(['name', 3, 0.25, Number.NaN, null, false]);
    expect(parseCsv(text)).toEqual([['name', '3', '0.25', '', '', 'false']]);
  });
});
