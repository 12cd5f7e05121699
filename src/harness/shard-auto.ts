/**
 * `--shard auto`: the shard a scheduler's task index names. A Slurm job
 * array gives each task SLURM_ARRAY_TASK_ID, with the array's
 * SLURM_ARRAY_TASK_MIN, _MAX, _STEP and _COUNT; a Kubernetes Indexed Job
 * gives each pod JOB_COMPLETION_INDEX (0 to completions - 1), and the
 * completion count comes from JOB_COMPLETIONS, which the Job's manifest sets
 * to its spec.completions (Kubernetes has no variable of its own for it).
 * Their indices count from 0 (Slurm's from the array's first task); `--shard`
 * counts from 1.
 */
import { quote, UsageError } from './errors.js';

/** A shard as a scheduler gives it (shard.ts's Shard has the same shape). */
export interface ScheduledShard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  /** Which variables it came from. */
  readonly from: string;
}

/** The environment variables read, by name. */
export type SchedulerVars = Readonly<Record<string, string | undefined>>;

const SLURM_INDEX = 'SLURM_ARRAY_TASK_ID';
const K8S_INDEX = 'JOB_COMPLETION_INDEX';
export const K8S_COUNT = 'JOB_COMPLETIONS';

/** The shard the scheduler's variables name; one UsageError line naming the variable when they do not. */
export function shardFromScheduler(flag: string, vars: SchedulerVars, maxShards: number): ScheduledShard {
  const fail = (why: string): UsageError => new UsageError(`${flag}: 'auto' cannot be used: ${why}`, flag);
  const int = (name: string): number | null => {
    const raw = vars[name];
    if (raw === undefined || raw === '') return null;
    if (!/^\d+$/.test(raw)) throw fail(`${name} is ${quote(raw)}, not a whole number`);
    return Number(raw);
  };
  const place = (zero: number, count: number, from: string): ScheduledShard => {
    if (!(count >= 1 && count <= maxShards)) throw fail(`${from}: the task count ${count} is outside 1..${maxShards}`);
    if (!(zero >= 0 && zero < count))
      throw fail(`${from}: index ${zero} (counting from 0) is outside the ${count} tasks, 0..${count - 1}`);
    return { index: zero + 1, count, from };
  };

  const id = int(SLURM_INDEX);
  if (id !== null) {
    const min = int('SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = int('SLURM_ARRAY_TASK_STEP') ?? 1;
    const max = int('SLURM_ARRAY_TASK_MAX');
    const count =
      int('SLURM_ARRAY_TASK_COUNT') ?? (max !== null && step > 0 ? Math.floor((max - min) / step) + 1 : null);
    if (count === null)
      throw fail(
        `${SLURM_INDEX} is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is, so the task count is unknown`,
      );
    // A list (--array=1,3,7) has ids that are not min + k * step; only a range maps its tasks onto shards.
    if (max !== null && step > 0 && count !== Math.floor((max - min) / step) + 1) {
      throw fail(
        `the array's ${count} tasks are not one range from ${min} to ${max} in steps of ${step}; submit it as --array=0-${count - 1}`,
      );
    }
    if (step < 1 || (id - min) % step !== 0)
      throw fail(`${SLURM_INDEX}=${id} is not on the array's range (from ${min} in steps of ${step})`);
    return place((id - min) / step, count, `${SLURM_INDEX}=${id} of ${count} tasks from ${min}`);
  }
  const index = int(K8S_INDEX);
  if (index !== null) {
    const count = int(K8S_COUNT);
    if (count === null) throw fail(`${K8S_INDEX} is set but ${K8S_COUNT} is not; set it to the Job's spec.completions`);
    return place(index, count, `${K8S_INDEX}=${index} of ${K8S_COUNT}=${count}`);
  }
  throw fail(
    `no scheduler task index is set (${SLURM_INDEX} in a Slurm job array, ${K8S_INDEX} in a Kubernetes Indexed Job); give K/N instead`,
  );
}
