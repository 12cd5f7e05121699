export type CsvValue = string | number | boolean | null | undefined;

/** One RFC 4180 field. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvLine(fields: readonly CsvValue[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/**
 * Parses RFC 4180 text. Accepts CRLF, LF or bare CR line ends; a final line
 * end does not produce an empty trailing record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  // Tracks whether the current record has any content, so a trailing newline
  // does not yield an extra [''] record.
  let recordStarted = false;
  let i = 0;
  const n = text.length;
  const endRecord = (): void => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
    recordStarted = false;
  };
  while (i < n) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          i++;
        }
      } else {
        field += ch;
        i++;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      recordStarted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      recordStarted = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      recordStarted = true;
      i++;
    }
  }
  if (recordStarted || inQuotes) endRecord();
  return records;
}
