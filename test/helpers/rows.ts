/** Result rows for tests: every column present (text empty, numbers not measured), then the fields a test sets. */
import { COLUMNS, type Row } from '../../src/rows/rows.js';

const BLANK = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? '' : Number.NaN])) as Row),
  status: 'ok',
} as Row;

export const makeRow = (fields: Partial<Row>): Row => ({ ...BLANK, ...fields }) as Row;
