/** The `--sweep-id ID` value: given by the user, it goes into file names (sweep-id.ts derives one otherwise). */
import { quote, UsageError } from './errors.js';

const SWEEP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseSweepId(flag: string, raw: string): string {
  if (!SWEEP_ID.test(raw)) {
    throw new UsageError(
      `${flag}: ${quote(raw)} is not allowed; give 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      flag,
    );
  }
  return raw;
}
