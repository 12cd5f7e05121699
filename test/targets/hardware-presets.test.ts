/**
 * Hardware presets: westmere-ex-8s's shape (160 CPUs, a QPI wiring with three
 * one-hop neighbours per socket and at most two hops), distances between
 * CPUs, latencies from the published cycle counts, the --topology syntax, and
 * this-host's calibration file (missing, malformed, read back).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { cpusOf, distance } from '../../src/targets/virtual/hardware.js';
import {
  HARDWARE_NAMES,
  formatTopology,
  loadHardware,
  parseTopology,
  withTopology,
} from '../../src/targets/virtual/hardware-presets.js';
import {
  HOST_HARDWARE_PATH,
  HostHardwareError,
  hostHardware,
  readHostHardware,
  type HostHardware,
} from '../../src/targets/virtual/this-host.js';
import {
  WESTMERE_EX_8S,
  WESTMERE_EX_CYCLES,
  WESTMERE_EX_GHZ,
  westmereSocketHops,
} from '../../src/targets/virtual/westmere-ex-8s.js';
import { thrownBy } from '../helpers/thrown.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-hw-'));

describe('westmere-ex-8s', () => {
  it('is 8 sockets of 10 cores of 2 threads', () => {
    expect(WESTMERE_EX_8S.topology).toEqual({ sockets: 8, coresPerSocket: 10, threadsPerCore: 2 });
    expect(cpusOf(WESTMERE_EX_8S.topology)).toBe(160);
  });

  it('wires every socket to exactly three others, symmetrically, and reaches the rest in two hops', () => {
    for (let a = 0; a < 8; a++) {
      expect(westmereSocketHops(a, a)).toBe(0);
      let oneHop = 0;
      for (let b = 0; b < 8; b++) {
        if (a === b) continue;
        const h = westmereSocketHops(a, b);
        expect(h).toBe(westmereSocketHops(b, a));
        expect([1, 2]).toContain(h);
        if (h === 1) oneHop++;
      }
      expect(oneHop).toBe(3);
    }
  });

  it('one-hop links form a graph of diameter 2 (two hops go through one linked socket)', () => {
    for (let a = 0; a < 8; a++) {
      for (let b = 0; b < 8; b++) {
        if (a === b || westmereSocketHops(a, b) === 1) continue;
        const via = [0, 1, 2, 3, 4, 5, 6, 7].filter(
          (c) => westmereSocketHops(a, c) === 1 && westmereSocketHops(c, b) === 1,
        );
        expect(via.length).toBeGreaterThan(0);
      }
    }
  });

  it('classifies CPU pairs by distance: SMT sibling, same socket, one or two hops', () => {
    const hw = WESTMERE_EX_8S;
    expect(distance(hw, 7, 7)).toBe('self');
    expect(distance(hw, 0, 80)).toBe('smt'); // threads 0 and 1 of core 0 (Linux numbers second threads after every core)
    expect(distance(hw, 0, 1)).toBe('socket'); // core 1 of socket 0
    expect(distance(hw, 0, 9)).toBe('socket'); // core 9 of socket 0
    expect(distance(hw, 0, 89)).toBe('socket'); // the second thread of core 9
    expect(distance(hw, 0, 10)).toBe(westmereSocketHops(0, 1) === 1 ? 'remote-1hop' : 'remote-2hop');
    const kinds = new Set<string>();
    for (let b = 0; b < 160; b++) kinds.add(distance(hw, 0, b));
    expect(kinds).toEqual(new Set(['self', 'smt', 'socket', 'remote-1hop', 'remote-2hop']));
  });

  it('takes its latencies from the published cycle counts at the measured clock, growing with distance', () => {
    const t = WESTMERE_EX_8S.lineTransferNs;
    for (const d of ['self', 'smt', 'socket', 'remote-1hop', 'remote-2hop'] as const) {
      expect(t[d]).toBeCloseTo(WESTMERE_EX_CYCLES[d] / WESTMERE_EX_GHZ, 9);
    }
    // A line already held is an L1 hit, as is an SMT sibling's (they share the L1): 4 cycles.
    expect(t.self).toBeCloseTo(4 / 2.13, 9);
    expect(t.self).toBe(t.smt);
    expect(t.smt < t.socket && t.socket < t['remote-1hop'] && t['remote-1hop'] < t['remote-2hop']).toBe(true);
    expect(WESTMERE_EX_8S.sources.length).toBeGreaterThan(0);
  });
});

describe('--topology SxCxT', () => {
  it('parses sockets, cores per socket and threads per core', () => {
    expect(parseTopology('8x10x2')).toEqual({ sockets: 8, coresPerSocket: 10, threadsPerCore: 2 });
    expect(parseTopology('1x1x1')).toEqual({ sockets: 1, coresPerSocket: 1, threadsPerCore: 1 });
    expect(formatTopology(parseTopology('4x16x2')!)).toBe('4x16x2');
  });

  it('rejects anything else', () => {
    for (const bad of [
      '',
      '8x10',
      '8x10x2x1',
      '0x10x2',
      '8x0x2',
      '8x10x0',
      '8X10X2',
      '-1x2x2',
      '8x10x2.5',
      'axbxc',
      '8 x 10 x 2',
      '08x10x2',
    ]) {
      expect(parseTopology(bad), bad).toBeNull();
    }
  });

  it('changes the shape and keeps the latencies and the wiring', () => {
    const hw = withTopology(WESTMERE_EX_8S, { sockets: 2, coresPerSocket: 4, threadsPerCore: 1 });
    expect(cpusOf(hw.topology)).toBe(8);
    expect(hw.lineTransferNs).toEqual(WESTMERE_EX_8S.lineTransferNs);
    expect(distance(hw, 0, 1)).toBe('socket');
    expect(distance(hw, 0, 4)).toBe(westmereSocketHops(0, 1) === 1 ? 'remote-1hop' : 'remote-2hop');
  });
});

const record: HostHardware = {
  name: 'this-host',
  version: 1,
  measuredAt: '2026-12-02T06:00:00.000Z',
  topology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 },
  topologySource: 'sysfs',
  lineTransferNs: 120,
  wakeNs: 7000,
  pingPongNs: 150,
  oneThreadNs: 30,
  wakeRoundTripNs: 14000,
};

describe('this-host', () => {
  it('without a calibration, says in one line to run npm run calibrate', () => {
    const dir = tmp();
    const caught = thrownBy(() => loadHardware('this-host', dir));
    expect(caught).toBeInstanceOf(HostHardwareError);
    expect((caught as Error).message).toMatch(/npm run calibrate/);
    expect((caught as Error).message).not.toMatch(/\n/);
  });

  it('rejects a file that is not a calibration, naming the field', () => {
    const dir = tmp();
    const file = path.join(dir, HOST_HARDWARE_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{not json');
    expect(() => readHostHardware(dir)).toThrow(/not JSON.*npm run calibrate/);
    fs.writeFileSync(file, JSON.stringify({ ...record, wakeNs: -1 }));
    expect(() => readHostHardware(dir)).toThrow(/"wakeNs"/);
    fs.writeFileSync(
      file,
      JSON.stringify({ ...record, topology: { sockets: 1, coresPerSocket: 0, threadsPerCore: 1 } }),
    );
    expect(() => readHostHardware(dir)).toThrow(/coresPerSocket/);
  });

  it('reads a calibration back: its topology, one transfer figure for every distance but self (one Atomics op that hits), its wake-up', () => {
    const dir = tmp();
    const file = path.join(dir, HOST_HARDWARE_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(record));
    const hw = loadHardware('this-host', dir);
    expect(hw.topology).toEqual(record.topology);
    // self: half the one-thread loop (a load and an add per round).
    expect(hw.lineTransferNs).toEqual({ self: 15, smt: 120, socket: 120, 'remote-1hop': 120, 'remote-2hop': 120 });
    expect(hw.wakeNs).toBe(7000);
    expect(distance(hw, 0, 1)).toBe('socket');
    expect(hostHardware(record).sources.join(' ')).toMatch(/npm run calibrate/);
  });

  it('every preset name loads or fails only for want of a calibration', () => {
    const dir = tmp();
    for (const name of HARDWARE_NAMES) {
      try {
        expect(cpusOf(loadHardware(name, dir).topology)).toBeGreaterThan(0);
      } catch (e) {
        expect(e).toBeInstanceOf(HostHardwareError);
      }
    }
  });
});
