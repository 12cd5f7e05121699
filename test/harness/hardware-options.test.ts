/**
 * --hardware and --topology: bad input is one UsageError naming the option
 * and the value; both are refused for targets that do not simulate a machine;
 * for one that does, the preset loads (this-host only once calibrated) and the
 * topology override applies.
 */
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { parseBenchArgs, resolveHardware } from '../../src/harness/options.js';
import { cpusOf } from '../../src/targets/virtual/hardware.js';
import { HOST_HARDWARE_PATH } from '../../src/targets/virtual/this-host.js';
import { WESTMERE_EX_8S } from '../../src/targets/virtual/westmere-ex-8s.js';
import { scratchDir } from '../helpers/cli.js';
import { thrownBy } from '../helpers/thrown.js';
import { usageError } from '../helpers/usage.js';

const tmp = scratchDir('hwopt');
const env = { cores: 2, now: new Date('2026-12-02T06:00:00Z'), cwd: tmp };

const usage = (argv: string[]): UsageError => usageError(argv, env);

describe('--hardware and --topology on the command line', () => {
  it('an unknown preset names the option, the value and the presets', () => {
    const e = usage(['--hardware', 'cray-1']);
    expect(e.option).toBe('--hardware');
    expect(e.message).toMatch(/'cray-1'.*westmere-ex-8s.*this-host/);
  });

  it('a malformed topology names the form it takes', () => {
    for (const bad of ['8x10', 'eight', '8x10x2x2', '0x1x1']) {
      const e = usage(['--topology', bad]);
      expect(e.option).toBe('--topology');
      expect(e.message).toMatch(/SOCKETSxCORESxTHREADS/);
    }
  });

  it('a topology with more CPUs than a sweep can use is refused', () => {
    const e = usage(['--topology', '64x16x2']);
    expect(e.option).toBe('--topology');
    expect(e.message).toMatch(/2048 CPUs.*at most 1024/);
  });

  it("both are refused for the model target, which runs on this machine's threads", () => {
    expect(usage(['--target', 'model', '--hardware', 'westmere-ex-8s']).option).toBe('--hardware');
    expect(usage(['--topology', '2x2x2']).option).toBe('--topology');
  });

  it('without them, the model target parses as before, with the default machine standing by', () => {
    const r = parseBenchArgs(['--quick'], env);
    expect(r.kind).toBe('run');
    if (r.kind === 'run') expect(r.options.machine.hardware.name).toBe('westmere-ex-8s');
  });
});

describe('resolving the machine of a simulating target', () => {
  const resolve = (
    name: 'westmere-ex-8s' | 'this-host',
    topology: { sockets: number; coresPerSocket: number; threadsPerCore: number } | null,
    cwd = tmp,
  ) => resolveHardware('model', name, topology, new Map(), cwd, true);

  it('loads the preset, and applies a topology override', () => {
    expect(resolve('westmere-ex-8s', null)).toBe(WESTMERE_EX_8S);
    const hw = resolve('westmere-ex-8s', { sockets: 2, coresPerSocket: 8, threadsPerCore: 1 });
    expect(cpusOf(hw.topology)).toBe(16);
    expect(hw.lineTransferNs).toEqual(WESTMERE_EX_8S.lineTransferNs);
  });

  it('this-host before calibration is one line naming npm run calibrate', () => {
    const caught = thrownBy(() => resolve('this-host', null));
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).option).toBe('--hardware');
    expect((caught as Error).message).toMatch(/npm run calibrate/);
  });

  it('this-host after calibration is the machine the file describes', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'cal-'));
    const file = path.join(dir, HOST_HARDWARE_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'this-host',
        version: 1,
        measuredAt: '2026-12-02T06:00:00Z',
        topology: { sockets: 1, coresPerSocket: 16, threadsPerCore: 1 },
        topologySource: 'sysfs',
        lineTransferNs: 80,
        wakeNs: 5000,
        pingPongNs: 100,
        oneThreadNs: 20,
        wakeRoundTripNs: 10000,
      }),
    );
    const hw = resolve('this-host', null, dir);
    expect(cpusOf(hw.topology)).toBe(16);
    expect(hw.lineTransferNs.socket).toBe(80);
  });
});
