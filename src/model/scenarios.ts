/**
 * Deterministic scenarios: the 2013 arguments and the crashes behind them,
 * stepped by hand in a World (world.ts), with a verdict per strategy. The
 * verdicts are what the model did, not what the scenario expects.
 */
import { STRATEGY_NAMES, type StrategyName } from './strategies/index.js';
import { SEC, World, type ServerSteps, type Steps, type Verdict } from './world.js';

export {
  FLUSH_EVERY_US,
  HORIZON_US,
  POLL_EVERY_US,
  START_US,
  World,
  type ServerSteps,
  type Steps,
  type Verdict,
} from './world.js';

/** A way the client compares, for scenarios that judge more than one. */
export interface ClientVariant {
  readonly label: string;
  readonly mixCtime: boolean;
}

export interface Scenario {
  readonly about: string;
  readonly run: (w: ServerSteps) => void;
  /** Each strategy runs once per variant (default: once, the ctime mixed in as nfsd does). */
  readonly variants?: readonly ClientVariant[];
}

/** The file has contents on disk and the client has cached them. */
function settled(w: ServerSteps): void {
  w.store();
  w.sync();
  w.revalidate();
  w.advance(1 * SEC);
}

/** A store, and the client revalidating 10 ms later, so it has seen what the store changed. */
function storeSeen(w: Steps): void {
  w.store();
  w.advance(0.01 * SEC);
  w.revalidate();
}

/** A second on, the store each verdict is about; the client revalidates at once and then follows it until it is seen or never can be. */
function theStoreInQuestion(w: Steps): void {
  w.advance(1 * SEC);
  w.store(true);
  w.revalidate();
  w.follow();
}

export const SCENARIOS = {
  'first-store-after-writeback': {
    about:
      'Chinner: a page is written back and cleaned; a store dirties it again; the client revalidates. The change must be visible at once.',
    run: (w: Steps) => {
      storeSeen(w);
      w.advance(35 * SEC); // past the 30 s expiry: the flusher writes the page back on its way
      w.revalidate();
      theStoreInQuestion(w);
    },
  },
  'second-store-to-dirty-page': {
    about:
      'Lutomirski: a store faults and bumps the counter; the client revalidates; a second store hits the same still-dirty, still-writable page.',
    run: (w: Steps) => {
      storeSeen(w);
      theStoreInQuestion(w);
    },
  },
  'writeback-window': {
    about:
      'How long a single store stays invisible when nothing else happens: deferred updating waits for writeback (bounded by the 30 s expiry plus a flusher period).',
    run: (w: Steps) => {
      w.revalidate();
      theStoreInQuestion(w);
    },
  },
  'server-restart': {
    about:
      "Lutomirski's chain: the server goes down and comes up (memory lost, journal replayed); user space maps the file and stores; " +
      'the client reconnects and revalidates; user space stores to the same page again.',
    run: (w: ServerSteps) => {
      settled(w);
      w.crash();
      w.advance(1 * SEC);
      w.map();
      storeSeen(w);
      theStoreInQuestion(w);
    },
  },
  'change-attr-after-crash': {
    about:
      'A store bumps i_version; the client reads it; the server crashes before the journal commits and recovers; a different store. ' +
      'Does the client see a change, or the same change attribute for different contents?',
    run: (w: ServerSteps) => {
      settled(w);
      storeSeen(w);
      w.advance(1 * SEC);
      w.crash();
      w.advance(1 * SEC);
      w.map();
      w.store(true);
      w.revalidate();
      w.follow();
    },
    variants: [
      { label: 'ctime mixed in', mixCtime: true },
      { label: 'i_version alone', mixCtime: false },
    ],
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function runScenario(
  name: ScenarioName,
  strategies: readonly StrategyName[] = STRATEGY_NAMES,
  log: (line: string) => void = () => {},
): Verdict[] {
  const scenario: Scenario = SCENARIOS[name];
  const variants: readonly (ClientVariant | undefined)[] = scenario.variants ?? [undefined];
  return variants.flatMap((variant) =>
    strategies.map((strategy) => {
      log('');
      log(`--- ${name} under ${strategy}${variant ? `, change attribute with ${variant.label}` : ''}`);
      const w = new World(strategy, log, { mixCtime: variant?.mixCtime ?? true });
      scenario.run(w);
      return w.verdict(strategy, variant);
    }),
  );
}

/** `scenario NAME --json`: the verdicts as one JSON object (after_sec null when never noticed). */
export function verdictsJson(name: ScenarioName, verdicts: readonly Verdict[]): string {
  return JSON.stringify({
    scenario: name,
    verdicts: verdicts.map((v) => ({
      strategy: v.strategy,
      ...(v.ctimeMixed === undefined ? {} : { ctime_mixed: v.ctimeMixed }),
      faulted: v.faulted,
      noticed: v.noticed,
      after_sec: v.afterSec,
    })),
  });
}
