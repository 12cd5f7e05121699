/**
 * A small configuration of the modelled kernel for tests that run it on real
 * threads or virtual time: page_fault3 (separate-file) on jbd2, no strategy,
 * two writers of 256 pages each, zero step costs. Each test overrides what it
 * is about.
 */
import type { ModelInput } from '../../src/model/config.js';
import { PROFILES } from '../../src/model/profiles.js';

export function testInput(over: Partial<ModelInput> = {}): ModelInput {
  return {
    workload: 'separate-file',
    journal: 'jbd2',
    strategy: 'none',
    lock: 'auto',
    profile: PROFILES.zero,
    writers: 2,
    pages: 256,
    timeScale: 0.01,
    tickMs: 4,
    observerIntervalMs: 0,
    cores: 2,
    unitsPerNs: 1,
    ...over,
  };
}
