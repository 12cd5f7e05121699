/**
 * A sweep across a real cluster engine: a one-node Slurm cluster on this
 * machine (scripts/cluster/slurm-local.sh: its own slurm.conf, munged,
 * slurmctld and slurmd, stopped by their pids at the end) runs a small
 * virtual-target sweep as a 4-task job array with the dependent merge job
 * (scripts/cluster/submit-slurm.sh), and as a 1-task array for the time it
 * takes; GNU parallel runs the same sweep through scripts/cluster/parallel-ssh.sh
 * with this machine as its only host. Each merged CSV must equal, row for row,
 * the sweep run whole in one process with the same seed: every column but
 * `shard` (which slice ran the row) and `timestamp`, and the per-run sidecar
 * byte for byte. Merge must refuse the real shards when one is missing or cut.
 * Needs root, Slurm, munge and GNU parallel (scripts/cluster/ci-setup.sh);
 * skipped with the reason elsewhere, failed under CI=true.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCsv } from '../../src/rows/codec.js';
import { COLUMNS, roleOf } from '../../src/rows/rows.js';
import { describeResult, repoRoot, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { need } from '../helpers/need.js';

/** 2 strategies x 4 thread counts on the virtual target, 2 runs each: 8 configurations, a few seconds of simulation. */
const SWEEP = [
  '--target',
  'virtual',
  '--journal',
  'jbd2',
  '--strategy',
  'eager,lazytime',
  '--threads',
  '1,2,4,8',
  '--runs',
  '2',
  '--duration',
  '0.002',
  '--warmup',
  '0.001',
  '--pages',
  '256',
  '--seed',
  '7',
];
const TOOLS = ['slurmctld', 'slurmd', 'munged', 'sbatch', 'scontrol', 'sinfo', 'parallel'];
const scripts = path.join(repoRoot, 'scripts', 'cluster');
const merge = path.join(repoRoot, 'dist', 'src', 'commands', 'merge.js');

const onPath = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
function skipReason(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (slurmd starts jobs as their user)';
  const missing = TOOLS.filter((t) => !onPath(t));
  if (missing.length > 0) return `${missing.join(', ')} not installed (bash scripts/cluster/ci-setup.sh installs them)`;
  if (!fs.existsSync(merge)) return 'dist/ not built (npm run build)';
  return null;
}
// Under CI a missing piece fails the run at collection (need.ts); elsewhere the tests skip with the reason.
const clusterNeed = need('a one-node Slurm cluster', skipReason());
const parallelNeed = need(
  'GNU parallel',
  onPath('parallel') ? null : 'parallel not installed (bash scripts/cluster/ci-setup.sh installs it)',
);

/** Rows of a results CSV by column, with the text of every cell. */
function csvRows(file: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(fs.readFileSync(file, 'utf8'));
  return records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}
/** Each job's start and end as Slurm recorded them (whole seconds), and the array's span from first start to last end. */
function timeline(array: Record<string, string>[], merged: Record<string, string>): string[] {
  const secs = (t: string): number => Date.parse(`${t}Z`) / 1000;
  const span = Math.max(...array.map((t) => secs(t.EndTime!))) - Math.min(...array.map((t) => secs(t.StartTime!)));
  return [
    ...[...array, merged].map(
      (t) => `  job ${t.JobId}${t.ArrayTaskId ? ` (task ${t.ArrayTaskId})` : ''}: ${t.StartTime} to ${t.EndTime}`,
    ),
    `  array span, first task start to last task end: ${span} s`,
  ];
}

/**
 * What must be equal: every column that identifies a configuration (key) or is a figure of it (measurement),
 * and which sweep it belongs to. The other context columns say where, when and how a process ran (its shard,
 * host, command line, start time, load) and differ between a shard and the process that ran the sweep whole.
 */
const COMPARED = [
  ...COLUMNS.filter((c) => roleOf(c) !== 'context').map((c) => c[0]),
  'sweep_id',
  'sweep_configurations',
];
const sameSweep = (rows: Record<string, string>[]): Record<string, string>[] =>
  rows.map((r) => Object.fromEntries(COMPARED.map((c) => [c, r[c] ?? '<missing>'])));

describe.skipIf(clusterNeed.skip)(clusterNeed.label('a sweep on a one-node Slurm cluster'), () => {
  const dir = tempDir('slurm');
  const env = { ...process.env, SLURM_CONF: path.join(dir, 'cluster', 'slurm.conf') };
  const report: string[] = [];
  let whole: CliResult;
  const wholeCsv = path.join(dir, 'whole.csv');

  const sh = (args: string[], cwd = repoRoot) => spawnSync('bash', args, { cwd, env, encoding: 'utf8' });

  beforeAll(async () => {
    const up = sh([path.join(scripts, 'slurm-local.sh'), 'start', path.join(dir, 'cluster')]);
    expect(up.status, up.stderr).toBe(0);
    report.push(up.stdout.trim());
    // The reference: the sweep run whole, in one process, outside Slurm, one run at a time as each array task runs.
    whole = await runCli([...SWEEP, '--jobs', '1', '--csv', wholeCsv], dir, 180_000);
    expect(whole.status, describeResult(whole)).toBe(0);
    report.push(`one process, no scheduler: ${(whole.ms / 1000).toFixed(1)} s`);
  });

  afterAll(() => {
    const down = sh([path.join(scripts, 'slurm-local.sh'), 'stop', path.join(dir, 'cluster')]);
    report.push(down.stdout.trim());
    const pids = ['slurmd.pid', 'slurmctld.pid', 'munge/munged.pid']
      .map((f) => path.join(dir, 'cluster', f))
      .filter((f) => fs.existsSync(f));
    const alive = pids
      .map((f) => Number(fs.readFileSync(f, 'utf8')))
      .filter((pid) => spawnSync('kill', ['-0', String(pid)]).status === 0);
    console.log(`[cluster]\n${report.join('\n')}`);
    expect(alive, 'daemons still running after stop').toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A job's fields from `scontrol -o show job`, one line per job (per task of an array). */
  const jobs = (id: string): Record<string, string>[] =>
    sh(['-c', `scontrol -o show job ${id}`])
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .map((line) =>
        Object.fromEntries(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
      );

  /**
   * Submits the sweep as `tasks` array tasks and the merge job, and waits for the merge job to end. Slurm
   * says when a job ends only when asked, so this asks every 0.2 s (sbatch --wait backs off to many seconds).
   */
  async function submit(
    tasks: number,
    name: string,
  ): Promise<{ out: string; ms: number; array: Record<string, string>[]; merged: Record<string, string> }> {
    const t0 = performance.now();
    const r = sh([path.join(scripts, 'submit-slurm.sh'), String(tasks), path.join(dir, name), ...SWEEP]);
    expect(r.status, r.stderr).toBe(0);
    const ids = [...r.stdout.matchAll(/^Submitted batch job (\d+)$/gm)].map((m) => m[1]!);
    expect(ids, r.stdout).toHaveLength(2);
    const [arrayId, mergeId] = ids as [string, string];
    for (
      let waited = 0;
      !/^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY)$/.test(jobs(mergeId)[0]?.JobState ?? '');
      waited += 200
    ) {
      if (waited > 180_000) throw new Error(`merge job ${mergeId} still ${jobs(mergeId)[0]?.JobState} after 180 s`);
      await sleep(200);
    }
    return { out: r.stdout.trim(), ms: performance.now() - t0, array: jobs(arrayId), merged: jobs(mergeId)[0]! };
  }

  it('runs the 4-task array and the afterok merge job; the merged CSV is the one-process CSV, row for row', async () => {
    const four = await submit(4, 'four');
    report.push(
      `sbatch (4 tasks):\n${four.out}`,
      `4-task array + merge: ${(four.ms / 1000).toFixed(1)} s from submission to the merge job's end`,
    );
    expect(four.array.map((t) => [t.ArrayTaskId, t.JobState, t.ExitCode]).sort()).toEqual(
      ['0', '1', '2', '3'].map((k) => [k, 'COMPLETED', '0:0']),
    );
    report.push(...timeline(four.array, four.merged));
    const mergeLog = fs.readFileSync(path.join(dir, 'four', `slurm-${four.merged.JobId}-merge.out`), 'utf8');
    expect(four.merged.JobState, mergeLog).toBe('COMPLETED');
    // It ran after every task: its start is not before the last task's end.
    expect(
      four.merged.StartTime! >=
        four.array
          .map((t) => t.EndTime!)
          .sort()
          .at(-1)!,
    ).toBe(true);
    report.push(`merge job: ${mergeLog.trim()}`);
    expect(mergeLog).toMatch(/^8 rows from 4 shards written to /);

    const merged = csvRows(path.join(dir, 'four.csv'));
    const one = csvRows(wholeCsv);
    expect(merged).toHaveLength(8);
    expect(sameSweep(merged)).toEqual(sameSweep(one));
    expect(merged.map((r) => r.shard)).toEqual(['1/4', '2/4', '3/4', '4/4', '1/4', '2/4', '3/4', '4/4']);
    expect(one.every((r) => r.shard === '1/1')).toBe(true);
    expect(new Set(merged.map((r) => r.sweep_id)).size).toBe(1);
    // The sidecar has no shard or timestamp: the per-run figures, byte for byte.
    expect(fs.readFileSync(path.join(dir, 'four.runs.csv'), 'utf8')).toBe(fs.readFileSync(sidecar(wholeCsv), 'utf8'));
    const differ = Object.keys(one[0]!).filter((c) => merged.some((r, i) => r[c] !== one[i]![c]));
    report.push(
      `merged (4 shards) vs one process: ${merged.length} rows x ${COMPARED.length} key, measured and sweep columns equal; ` +
        `sidecars equal byte for byte; columns that differ: ${differ.join(', ')}`,
    );
  });

  it('takes this long as 1 array task: the same rows', async () => {
    const one = await submit(1, 'one');
    report.push(
      `sbatch (1 task):\n${one.out}`,
      `1-task array + merge: ${(one.ms / 1000).toFixed(1)} s from submission to the merge job's end`,
    );
    report.push(...timeline(one.array, one.merged));
    expect(one.merged.JobState).toBe('COMPLETED');
    expect(sameSweep(csvRows(path.join(dir, 'one.csv')))).toEqual(sameSweep(csvRows(wholeCsv)));
  });

  it('merge refuses the real shards with one shard missing or cut, exit status 2 and one line', async () => {
    const shards = ['0', '1', '2', '3'].map((k) => path.join(dir, 'four', `shard-${k}.csv`));
    const missing = await runCli([...shards.slice(0, 3), '--out', path.join(dir, 'x.csv')], dir, 30_000, {
      script: merge,
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /^faultscale: merge: incomplete: sweep [0-9a-f]{12} is missing shard 4\/4 \(have 3 of 4\)\n$/,
    );
    const cut = path.join(dir, 'cut');
    fs.mkdirSync(cut);
    for (const f of shards) fs.copyFileSync(f, path.join(cut, path.basename(f)));
    const text = fs.readFileSync(shards[2]!, 'utf8');
    fs.writeFileSync(path.join(cut, 'shard-2.csv'), text.slice(0, text.lastIndexOf('\r\n', text.length - 3) + 2));
    const truncated = await runCli([cut, '--out', path.join(dir, 'x.csv')], dir, 30_000, { script: merge });
    expect(truncated.status).toBe(2);
    expect(truncated.stderr).toMatch(
      /^faultscale: merge: '.*shard-2\.csv' \(shard 3\/4 of sweep [0-9a-f]{12}\) has 1 of its 2 configurations .*rerun that shard\n$/,
    );
    expect(fs.existsSync(path.join(dir, 'x.csv'))).toBe(false);
  });

  it('runs the GNU parallel line with this machine as its host: the same rows', () => {
    const hosts = path.join(dir, 'hosts');
    // Two shards at once on this host (N/sshlogin), as two hosts would run them.
    fs.writeFileSync(hosts, '2/:\n');
    const t0 = performance.now();
    const r = spawnSync(
      'bash',
      [path.join(scripts, 'parallel-ssh.sh'), hosts, '4', path.join(dir, 'par'), ...SWEEP, '--jobs', '1'],
      { cwd: repoRoot, env, encoding: 'utf8' },
    );
    const ms = performance.now() - t0;
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/8 rows from 4 shards written to /);
    report.push(`GNU parallel, 4 shards, 2 at a time on this host: ${(ms / 1000).toFixed(1)} s`);
    expect(sameSweep(csvRows(path.join(dir, 'par.csv')))).toEqual(sameSweep(csvRows(wholeCsv)));
  });
});

describe.skipIf(parallelNeed.skip)(parallelNeed.label('the GNU parallel line, dry run'), () => {
  it("expands to one bench command per shard, each options quoted for the host's shell", () => {
    const dir = tempDir('parallel-dry');
    const hosts = path.join(dir, 'hosts');
    fs.writeFileSync(hosts, ':\n');
    // GNU parallel takes default options from $PARALLEL: --dry-run prints each command instead of running it.
    const r = spawnSync(
      'bash',
      [
        path.join(scripts, 'parallel-ssh.sh'),
        hosts,
        '3',
        path.join(dir, 'out'),
        '--target',
        'virtual',
        '--seed',
        'a b',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, PARALLEL: '--dry-run' },
        encoding: 'utf8',
      },
    );
    const lines = r.stdout.trim().split('\n');
    const out = path.join(dir, 'out');
    expect(lines).toEqual(
      [1, 2, 3].map(
        (k) =>
          `mkdir -p ${out} && node dist/src/commands/bench.js --shard ${k}/3 --csv ${out}/shard-${k}.csv --target virtual --seed a\\ b`,
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

const sidecar = (csv: string): string => csv.replace(/\.csv$/, '.runs.csv');
