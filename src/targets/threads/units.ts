/** Work-loop units per profile nanosecond for a target on this machine's threads. */
import type { CostProfile } from '../../model/profiles.js';
import { calibrateUnitsPerNs } from '../../model/work.js';

/** The loop's iterations per nanosecond here, calibrated; 1 (nothing to calibrate) when no step of `profile` spends work. */
export function unitsOnThreads(profile: CostProfile): number {
  return Object.entries(profile).some(([k, v]) => k.endsWith('Ns') && (v as number) > 0) ? calibrateUnitsPerNs() : 1;
}
