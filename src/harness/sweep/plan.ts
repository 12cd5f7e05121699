/**
 * The sweep's plan: the target set up, and every configuration's state built
 * once, before the first run. A configuration is known by one key
 * (`configKey`) wherever the sweep needs to tell it from the others: the
 * scheduler picks keys, a failed run ends its key's state, the files and the
 * JSON's `runs` list keys in the sweep's order.
 */
import { buildConfig, type ModelConfig } from '../../model/config.js';
import type { Row } from '../../rows/rows.js';
import { rowKey } from '../../rows/runs.js';
import { makeTarget, type Target } from '../../targets/index.js';
import type { ConfigIdentity, RunSample, SweepConfig, TargetFacts } from '../../targets/target.js';
import type { RowContext } from '../build-row.js';
import { currentContext, type SweepContext } from '../context.js';
import { parseInjection, type Injection } from '../inject.js';
import type { BenchOptions } from '../bench-options/index.js';
import { presetSettings, sweepConfigurations } from '../preset-sweep.js';
import { shardOf, shardText } from '../shard.js';

/** preset|workload|journal|strategy|threads: the preset is part of it, since presets may share a journal and strategy (ext3-2013 and ext4-2013). */
export type ConfigKey = `${string}|${string}|${string}|${string}|${number}`;

/** A configuration, or a row of one (whose preset is empty when none chose it). */
interface Keyed {
  readonly preset?: string;
  readonly workload: string;
  readonly journal: string;
  readonly strategy: string;
  readonly threads: number;
}

export function configKey(c: Keyed): ConfigKey {
  return `${c.preset ?? ''}|${c.workload}|${c.journal}|${c.strategy}|${c.threads}`;
}

/** The machine the rows ran on, beside the sweep's context: the simulated one's name and shape, the modelled kernel's HZ. */
export interface Machine {
  readonly hz: number;
  readonly hardware: string;
  readonly topology: string;
}

/** What a configuration's runs gave, in run order, once its last run ended. */
export interface Measured {
  readonly samples: RunSample[];
  readonly faults: number[];
}

/** One configuration: what it is, its runs so far, and its row once it has one. */
export interface ConfigState {
  readonly key: ConfigKey;
  readonly c: SweepConfig;
  readonly cfg: ModelConfig;
  /** The progress line's and the error messages' name for it. */
  readonly label: string;
  /** What its row says about it, measured or not. */
  readonly context: RowContext;
  readonly inject: Injection['fault'] | null;
  readonly got: RunSample[];
  /** The run number of each sample in `got` (runs that run at once end in any order). */
  readonly ran: number[];
  /** Runs started and not yet ended (more than one only when the target runs several at once). */
  inFlight: number;
  /** `ended`: failed, or cut short when the sweep stopped; either way it has an unmeasured row. */
  status: 'running' | 'done' | 'ended';
  row: Row | null;
  measured: Measured | null;
}

/** The target and what every configuration of the sweep shares. */
export interface SweepSetup {
  readonly target: Target;
  readonly cores: number;
  readonly inject: Injection | null;
  readonly unitsPerNs: number;
  /** Every configuration of the sweep, before sharding. */
  readonly all: readonly SweepConfig[];
  /** This shard's configurations, in the sweep's order. */
  readonly configs: readonly SweepConfig[];
  readonly context: SweepContext;
  readonly machine: Machine;
  /** What the target adds to every row (its machine among them). */
  readonly facts: TargetFacts;
}

export interface SweepPlan extends SweepSetup {
  /** Every configuration's state by its key, in the sweep's order. */
  readonly states: ReadonlyMap<ConfigKey, ConfigState>;
}

export function setUpSweep(opts: BenchOptions, cores: number): SweepSetup {
  const inject = parseInjection(process.env.FAULTSCALE_INJECT);
  const { sweep, machine } = opts;
  const target = makeTarget(sweep.target, machine);
  const unitsPerNs = target.unitsPerNs(sweep.profile.costProfile);
  const all = sweepConfigurations(target, sweep, sweep.presets);
  const facts = target.facts({ timeScale: opts.model.timeScale, hz: opts.model.hz });
  return {
    target,
    cores,
    inject,
    unitsPerNs,
    all,
    configs: shardOf(all, opts.plan.shard),
    context: currentContext(opts.argv ?? [], cores),
    machine: { hz: facts.hz, hardware: facts.hardware, topology: facts.topology },
    facts,
  };
}

/** The model a configuration runs with `writers` writers (and, for a warm-up, fewer pages). */
export function modelConfig(
  setup: SweepSetup,
  opts: BenchOptions,
  c: SweepConfig,
  shape: { readonly writers: number; readonly pages?: number },
): ModelConfig {
  const { target } = setup;
  const { sweep, model } = opts;
  return buildConfig({
    ...c,
    lock: sweep.lock,
    profile: sweep.profile.costProfile,
    ...model,
    cores: setup.cores,
    unitsPerNs: setup.unitsPerNs,
    ...presetSettings(c),
    // What the target keeps beside the writers and in shared memory.
    services: target.services(c.journal, model.observerIntervalMs),
    sharedPages: target.sharedPages(model.pages),
    ...shape,
  });
}

function rowContext(
  setup: SweepSetup,
  opts: BenchOptions,
  c: SweepConfig,
  cfg: ModelConfig,
  names: Omit<ConfigIdentity, 'label'>,
): RowContext {
  const { model, plan } = opts;
  const profile = opts.sweep.profile.costProfile;
  const { timeScale, hz, ...facts } = setup.facts;
  return {
    ...c,
    ...facts,
    ...names,
    target: setup.target.name,
    profile: `${profile.name}@${profile.version}`,
    serviceThreads: cfg.services.length,
    cores: setup.cores,
    durationSec: plan.durationSec,
    warmupSec: plan.warmupSec,
    // The model group as the row records it: the time scale the target ran at, its HZ, the preset's time granularity.
    model: { ...model, timeScale, hz, timeGranNs: cfg.timeGranNs },
    seed: plan.seed,
    sweep: setup.context,
    // Speedups come from the whole set of rows when they are saved (applySpeedups).
    baseline: null,
    outlierRuns: 0,
    ciTargetMet: 0,
    sweepId: plan.sweepId,
    shard: shardText(plan.shard),
    sweepConfigurations: setup.all.length,
  };
}

/** Every configuration's state, built once, by key in the sweep's order. */
export function planSweep(setup: SweepSetup, opts: BenchOptions): SweepPlan {
  const states = new Map<ConfigKey, ConfigState>();
  for (const c of setup.configs) {
    const key = configKey(c);
    // The options' lists are free of repeats, so no two configurations share a key.
    if (states.has(key)) throw new Error(`sweep: configuration ${key} is listed twice`);
    const cfg = modelConfig(setup, opts, c, { writers: c.threads });
    const { label, ...names } = setup.target.identity(c, cfg);
    states.set(key, {
      key,
      c,
      cfg,
      label,
      context: rowContext(setup, opts, c, cfg, names),
      inject: setup.inject?.matches(c) ? setup.inject.fault : null,
      got: [],
      ran: [],
      inFlight: 0,
      status: 'running',
      row: null,
      measured: null,
    });
  }
  return { ...setup, states };
}

/** Every configuration's row so far, in the sweep's order (whatever order they finished in). */
export function rowsOf(plan: SweepPlan): Row[] {
  return [...plan.states.values()].flatMap((st) => (st.row ? [st.row] : []));
}

/** Each measured row's per-run faults/s by its `rowKey`, as analyses and the report look a row's runs up. */
export function runsByRow(plan: SweepPlan): Map<string, number[]> {
  const runs = new Map<string, number[]>();
  for (const { row, measured } of plan.states.values()) if (row && measured) runs.set(rowKey(row), measured.faults);
  return runs;
}
