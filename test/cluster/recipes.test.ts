/**
 * The cluster recipes in scripts/cluster/, checked without a cluster: every
 * script parses (bash -n); the Kubernetes manifests are well-formed YAML of
 * the right shape (an Indexed Job whose JOB_COMPLETIONS is its completion
 * count, whose shard command is a bench command line the parser accepts, and
 * a merge Job that reads the folder the shards write to, on the same volume);
 * the Slurm scripts read the array through --shard auto and chain the merge
 * with afterok; and the submit scripts refuse bad arguments in one line with
 * exit status 2 before submitting anything. The same recipes run for real on
 * a one-node Slurm cluster in slurm.cluster.ts (npm run test:cluster).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

import { parseBenchArgs } from '../../src/harness/options.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

const dir = path.join(repoRoot, 'scripts', 'cluster');
const tmp = tempDir('recipes');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Obj = Record<string, unknown>;
const obj = (v: unknown, what: string): Obj => {
  expect(v !== null && typeof v === 'object' && !Array.isArray(v), `${what} is a mapping`).toBe(true);
  return v as Obj;
};
const list = (v: unknown, what: string): unknown[] => {
  expect(Array.isArray(v), `${what} is a list`).toBe(true);
  return v as unknown[];
};

/** The YAML documents of a manifest, each checked to parse without errors or warnings. */
function manifest(name: string): Obj[] {
  const docs = parseAllDocuments(fs.readFileSync(path.join(dir, 'k8s', name), 'utf8'));
  // An empty stream is not a list of documents.
  if (!Array.isArray(docs)) throw new Error(`${name} has no YAML documents`);
  return docs.map((d, i) => {
    expect(
      d.errors.map((e) => e.message),
      `${name} document ${i + 1}`,
    ).toEqual([]);
    expect(
      d.warnings.map((e) => e.message),
      `${name} document ${i + 1}`,
    ).toEqual([]);
    return obj(d.toJS(), `${name} document ${i + 1}`);
  });
}

/** A Job's pod spec, checked to be one a Job may run: restartPolicy Never or OnFailure, every mount backed by a volume. */
function podOf(job: Obj, what: string): { pod: Obj; container: Obj; claims: Map<string, string> } {
  expect(job.apiVersion).toBe('batch/v1');
  expect(job.kind).toBe('Job');
  const pod = obj(obj(obj(job.spec, `${what} spec`).template, `${what} template`).spec, `${what} pod spec`);
  expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
  const containers = list(pod.containers, `${what} containers`).map((c, i) => obj(c, `${what} container ${i}`));
  expect(containers).toHaveLength(1);
  const container = containers[0]!;
  expect(typeof container.image).toBe('string');
  const claims = new Map<string, string>();
  for (const v of list(pod.volumes, `${what} volumes`).map((x) => obj(x, 'volume'))) {
    claims.set(String(v.name), String(obj(v.persistentVolumeClaim, `volume ${String(v.name)}`).claimName));
  }
  for (const m of list(container.volumeMounts, `${what} mounts`).map((x) => obj(x, 'mount'))) {
    expect(claims.has(String(m.name)), `${what} mounts ${String(m.name)}, a volume of the pod`).toBe(true);
  }
  return { pod, container, claims };
}

/** The words of a one-line shell command, quotes removed (the manifest's command is plain words and double quotes). */
const words = (line: string): string[] => (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));

describe('Kubernetes manifests', () => {
  const [claim, sweep] = manifest('sweep.yaml');
  const [merge] = manifest('merge.yaml');

  it('sweep.yaml is a volume claim and an Indexed Job whose JOB_COMPLETIONS is its completion count', () => {
    expect(claim!.kind).toBe('PersistentVolumeClaim');
    expect(list(obj(claim!.spec, 'claim spec').accessModes, 'accessModes')).toContain('ReadWriteMany');
    const spec = obj(sweep!.spec, 'sweep spec');
    expect(spec.completionMode).toBe('Indexed');
    expect(Number.isInteger(spec.completions) && (spec.completions as number) >= 1).toBe(true);
    expect(spec.parallelism as number).toBeLessThanOrEqual(spec.completions as number);
    const { container, claims } = podOf(sweep!, 'sweep');
    expect([...claims.values()]).toEqual([obj(claim!.metadata, 'claim metadata').name]);
    const env = list(container.env, 'env').map((e) => obj(e, 'env entry'));
    expect(env.find((e) => e.name === 'JOB_COMPLETIONS')?.value).toBe(String(spec.completions));
  });

  it('each pod runs a bench command line the parser takes: shard index + 1 of the completions, its own CSV', () => {
    const spec = obj(sweep!.spec, 'sweep spec');
    const { container } = podOf(sweep!, 'sweep');
    const command = list(container.command, 'command').map(String);
    // sh -c SCRIPT NAME ARGS...: the script passes the container's args on with "$@".
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    // mkdir -p FOLDER && exec node dist/src/commands/bench.js ... "$@": the bench refuses a --csv in a folder that is not there.
    const [mkdir, exec] = command[2]!.split('&&').map(words);
    const script = exec!;
    expect(script.slice(0, 3)).toEqual(['exec', 'node', 'dist/src/commands/bench.js']);
    const csv = script[script.indexOf('--csv') + 1]!;
    expect(mkdir).toEqual(['mkdir', '-p', path.posix.dirname(csv)]);
    expect(script.at(-1)).toBe('$@');
    expect(fs.existsSync(path.join(repoRoot, 'src', 'commands', 'bench.ts'))).toBe(true);
    const args = list(container.args, 'args').map(String);
    for (const index of [0, (spec.completions as number) - 1]) {
      // The pod's shell fills in the index; the volume's /results is a scratch folder here.
      const argv = [...script.slice(3, -1), ...args].map((a) =>
        a.replace('$JOB_COMPLETION_INDEX', String(index)).replace(/^\/results\//, `${tmp}/`),
      );
      const vars = { JOB_COMPLETION_INDEX: String(index), JOB_COMPLETIONS: String(spec.completions) };
      fs.mkdirSync(path.join(tmp, 'faultscale-sweep'), { recursive: true });
      const parsed = parseBenchArgs(argv, { cores: 2, now: new Date(0), cwd: tmp, vars });
      expect(parsed.kind).toBe('run');
      if (parsed.kind !== 'run') continue;
      expect(parsed.options.plan.shard).toMatchObject({ index: index + 1, count: spec.completions });
      expect(parsed.options.outputs.csvPath).toBe(path.join(tmp, 'faultscale-sweep', `shard-${index}.csv`));
    }
  });

  it('merge.yaml is a Job that merges the folder the shards write to, on the same claim, into a file outside it', () => {
    const { container, claims } = podOf(merge!, 'merge');
    const { container: shard, claims: shardClaims } = podOf(sweep!, 'sweep');
    expect([...claims.values()]).toEqual([...shardClaims.values()]);
    expect(obj(merge!.spec, 'merge spec').completionMode).toBeUndefined();
    const command = list(container.command, 'command').map(String);
    expect(command.slice(0, 2)).toEqual(['node', 'dist/src/commands/merge.js']);
    const shardCsv = words(list(shard.command, 'command').map(String)[2]!).find((w) =>
      w.includes('$JOB_COMPLETION_INDEX'),
    )!;
    expect(shardCsv).toMatch(/\.csv$/);
    expect(command[2]).toBe(path.posix.dirname(shardCsv));
    const out = command[command.indexOf('--out') + 1]!;
    expect(path.posix.dirname(out)).not.toBe(command[2]);
    const mounts = (c: Obj): string[] => list(c.volumeMounts, 'mounts').map((m) => String(obj(m, 'mount').mountPath));
    expect(mounts(container)).toEqual(mounts(shard));
    expect(command[2]!.startsWith(`${mounts(container)[0]!}/`)).toBe(true);
  });
});

describe('shell recipes', () => {
  const scripts = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(sh|sbatch)$/.test(f));

  it.each(scripts)('%s parses (bash -n)', (f) => {
    const r = spawnSync('bash', ['-n', path.join(dir, f)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('the array task reads its shard from Slurm; the merge job waits for every task with afterok', () => {
    const sweep = fs.readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8');
    const submit = fs.readFileSync(path.join(dir, 'submit-slurm.sh'), 'utf8');
    for (const text of [sweep, fs.readFileSync(path.join(dir, 'merge.sbatch'), 'utf8')]) {
      // sbatch reads #SBATCH lines only before the first command.
      const lines = text.split('\n');
      const firstCommand = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
      expect(lines.slice(firstCommand).some((l) => l.startsWith('#SBATCH'))).toBe(false);
      expect(lines.slice(0, firstCommand).some((l) => l.startsWith('#SBATCH'))).toBe(true);
    }
    expect(sweep).toMatch(/dist\/src\/commands\/bench\.js --shard auto /);
    expect(submit).toMatch(/--dependency="afterok:\$array"/);
    expect(submit).toMatch(/--array="0-\$\(\(tasks - 1\)\)"/);
  });

  it.each([
    ['submit-slurm.sh', ['0', 'x'], /^submit-slurm: TASKS: '0' is not allowed; give a whole number from 1 to 999$/],
    ['submit-slurm.sh', ['4'], /^submit-slurm: usage: /],
    ['submit-slurm.sh', ['4', '.'], /^submit-slurm: DIR: '\.' is not empty; give each sweep a new directory$/],
    ['parallel-ssh.sh', ['/nonexistent/hosts', '4', 'x'], /^parallel-ssh: HOSTS: cannot read '\/nonexistent\/hosts'$/],
  ])('%s %j is refused in one line with exit status 2', (script, args, message) => {
    const r = spawnSync('bash', [path.join(dir, script), ...args], { encoding: 'utf8', cwd: repoRoot });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});
