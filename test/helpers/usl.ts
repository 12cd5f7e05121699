/** A USL fit that a test expects to succeed: the fit, or a thrown error saying why it was refused. */
import { fitUsl, type UslFit, type UslPoint } from '../../src/analysis/usl.js';

export function fitted(points: UslPoint[]): UslFit {
  const r = fitUsl(points);
  if (!r.ok) throw new Error(`fit refused: ${r.reason}`);
  return r.fit;
}
