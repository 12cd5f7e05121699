/**
 * Universal Scalability Law (Gunther) fitted per series:
 *
 *   X(N) = λN / (1 + σ(N−1) + κN(N−1))
 *
 * σ is contention (the serial share: Amdahl), κ is coherency (crosstalk: the
 * retrograde term). Least squares on the measured faults/s with σ, κ ≥ 0.
 * X is linear in λ, so for fixed (σ, κ) λ has a closed form and the search is
 * over two parameters only: a log-spaced grid, then Nelder–Mead from the best
 * grid points, with the parameters projected onto σ, κ ≥ 0; the boundary
 * models (κ = 0: Amdahl; σ = 0) are fitted too and preferred when they fit
 * as well, so data without a retrograde term gives κ = 0 exactly.
 */
import { cellNumber } from '../rows/cell.js';
import { okRows } from '../rows/rows.js';

/** A result row (rows.ts `Row`), or any record keyed by column name. */
export type RecordLike = Readonly<Record<string, string | number | undefined>>;
/** Rows as the reader (rows/read.ts) gives them, or records shaped like them. */
export type RowsInput = readonly RecordLike[];

export interface UslPoint {
  readonly n: number;
  readonly x: number;
}

export interface UslFit {
  /** Throughput of one thread, as the model sees it (faults/s). */
  lambda: number;
  /** Contention coefficient (≥ 0). */
  sigma: number;
  /** Coherency coefficient (≥ 0). */
  kappa: number;
  /**
   * Residual standard error, faults/s: √(SSE / (points − 3)), the typical
   * distance of a point from the curve (what R's nls reports; R² means little
   * for a non-linear model). NaN when there are only 3 points (no degree of
   * freedom left).
   */
  rse: number;
  /**
   * Thread count of peak throughput, √((1−σ)/κ). Infinity when κ = 0 and
   * σ < 1 (throughput keeps rising toward λ/σ); 1 when σ ≥ 1 (no thread
   * count beats one thread). May be below 1 when κ > 1 − σ.
   */
  peakN: number;
  /** X(peakN); for peakN = Infinity the asymptote λ/σ (Infinity when σ = 0 too). */
  peakThroughput: number;
  /** Points used (repeated thread counts count each time). */
  points: number;
  /** Set when the fit rests on few thread counts (fewer than 6). */
  warning: string | null;
}

export type UslResult = { ok: true; fit: UslFit } | { ok: false; reason: string };

/** Fewer distinct thread counts than this: refused (3 parameters). */
export const USL_MIN_THREAD_COUNTS = 3;
/** Fewer distinct thread counts than this: fitted, with a warning. */
export const USL_WARN_THREAD_COUNTS = 6;

/** The model's throughput at N threads. */
export function uslThroughput(fit: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>, n: number): number {
  return (fit.lambda * n) / (1 + fit.sigma * (n - 1) + fit.kappa * n * (n - 1));
}

/** The peak as `UslFit` defines it (peakN, peakThroughput). */
export function uslPeak(fit: Pick<UslFit, 'lambda' | 'sigma' | 'kappa'>): Pick<UslFit, 'peakN' | 'peakThroughput'> {
  const { lambda, sigma, kappa } = fit;
  if (sigma >= 1) return { peakN: 1, peakThroughput: lambda };
  if (kappa === 0) return { peakN: Infinity, peakThroughput: sigma > 0 ? lambda / sigma : Infinity };
  const peakN = Math.sqrt((1 - sigma) / kappa);
  return { peakN, peakThroughput: uslThroughput(fit, peakN) };
}

interface Candidate {
  sigma: number;
  kappa: number;
  lambda: number;
  sse: number;
}

/** λ in closed form for fixed (σ, κ), and the resulting sum of squared residuals. */
function solve(ns: Float64Array, xs: Float64Array, sigma: number, kappa: number): Candidate {
  const s = Math.max(0, sigma);
  const k = Math.max(0, kappa);
  let gx = 0;
  let gg = 0;
  const g = new Float64Array(ns.length);
  for (let i = 0; i < ns.length; i++) {
    const n = ns[i]!;
    const gi = n / (1 + s * (n - 1) + k * n * (n - 1));
    g[i] = gi;
    gx += gi * xs[i]!;
    gg += gi * gi;
  }
  // Throughput is non-negative; so is λ.
  const lambda = gg > 0 ? Math.max(0, gx / gg) : 0;
  let sse = 0;
  for (let i = 0; i < ns.length; i++) {
    const r = xs[i]! - lambda * g[i]!;
    sse += r * r;
  }
  return { sigma: s, kappa: k, lambda, sse };
}

/** Nelder–Mead in `dim` dimensions; `f` sees its argument projected by the caller. */
function nelderMead(f: (p: number[]) => number, start: number[], steps: number[], maxIter = 4000): number[] {
  const dim = start.length;
  let simplex: { p: number[]; v: number }[] = [{ p: start.slice(), v: f(start) }];
  for (let d = 0; d < dim; d++) {
    const p = start.slice();
    p[d] = p[d]! + steps[d]!;
    simplex.push({ p, v: f(p) });
  }
  const combine = (a: number[], b: number[], t: number): number[] => a.map((ai, i) => ai + t * (b[i]! - ai));
  for (let iter = 0; iter < maxIter; iter++) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[dim]!;
    const spreadV = Math.abs(worst.v - best.v);
    let spreadP = 0;
    for (const s of simplex)
      for (let d = 0; d < dim; d++)
        spreadP = Math.max(spreadP, Math.abs(s.p[d]! - best.p[d]!) / Math.max(1e-12, Math.abs(best.p[d]!)));
    if (spreadV <= 1e-15 * Math.max(1e-300, Math.abs(best.v)) && spreadP < 1e-10) break;
    if (spreadP < 1e-13) break;
    const centroid = new Array<number>(dim).fill(0);
    for (let i = 0; i < dim; i++) for (let d = 0; d < dim; d++) centroid[d]! += simplex[i]!.p[d]! / dim;
    const reflected = combine(centroid, worst.p, -1);
    const vr = f(reflected);
    if (vr < best.v) {
      const expanded = combine(centroid, worst.p, -2);
      const ve = f(expanded);
      simplex[dim] = ve < vr ? { p: expanded, v: ve } : { p: reflected, v: vr };
      continue;
    }
    if (vr < simplex[dim - 1]!.v) {
      simplex[dim] = { p: reflected, v: vr };
      continue;
    }
    const outside = vr < worst.v;
    const contracted = outside ? combine(centroid, reflected, 0.5) : combine(centroid, worst.p, 0.5);
    const vc = f(contracted);
    if (vc < (outside ? vr : worst.v)) {
      simplex[dim] = { p: contracted, v: vc };
      continue;
    }
    simplex = simplex.map((s, i) => {
      if (i === 0) return s;
      const p = combine(best.p, s.p, 0.5);
      return { p, v: f(p) };
    });
  }
  simplex.sort((a, b) => a.v - b.v);
  return simplex[0]!.p;
}

function logGrid(lo: number, hi: number, count: number): number[] {
  const out = [0];
  const a = Math.log(lo);
  const b = Math.log(hi);
  for (let i = 0; i < count; i++) out.push(Math.exp(a + ((b - a) * i) / (count - 1)));
  return out;
}
const SIGMA_GRID = logGrid(1e-6, 20, 48);
const KAPPA_GRID = logGrid(1e-9, 20, 56);

/** Minimizes SSE over (σ, κ) ≥ 0 starting from `starts`, with one parameter optionally held at 0. */
function refine(ns: Float64Array, xs: Float64Array, starts: Candidate[], hold: 'none' | 'sigma' | 'kappa'): Candidate {
  let best: Candidate | null = null;
  for (const st of starts) {
    let c: Candidate;
    if (hold === 'none') {
      const p = nelderMead(
        (q) => solve(ns, xs, q[0]!, q[1]!).sse,
        [st.sigma, st.kappa],
        [Math.max(1e-4, st.sigma * 0.25), Math.max(1e-6, st.kappa * 0.25)],
      );
      c = solve(ns, xs, p[0]!, p[1]!);
    } else {
      const v0 = hold === 'kappa' ? st.sigma : st.kappa;
      const at = (v: number): Candidate => (hold === 'kappa' ? solve(ns, xs, v, 0) : solve(ns, xs, 0, v));
      const p = nelderMead((q) => at(q[0]!).sse, [v0], [Math.max(hold === 'kappa' ? 1e-4 : 1e-6, v0 * 0.25)]);
      c = at(p[0]!);
    }
    if (best === null || c.sse < best.sse) best = c;
  }
  return best!;
}

/** Parameters of the fit (λ, σ, κ). */
export const USL_PARAMETERS = 3;

export interface FitOptions {
  /**
   * Start the search here instead of on the grid: for refitting data close to
   * data already fitted (bootstrap replicates), where the grid's 2,800 trial
   * points cost far more than the refinement.
   */
  readonly start?: Pick<UslFit, 'sigma' | 'kappa'>;
}

/** Fits the USL to (threads, throughput) points. Points with a non-finite or non-positive n, or a non-finite x, are ignored. */
export function fitUsl(points: readonly UslPoint[], opts: FitOptions = {}): UslResult {
  const usable = points.filter((p) => Number.isFinite(p.n) && p.n > 0 && Number.isFinite(p.x));
  const distinct = new Set(usable.map((p) => p.n)).size;
  if (distinct < USL_MIN_THREAD_COUNTS) {
    return {
      ok: false,
      reason: `${distinct} distinct thread count${distinct === 1 ? '' : 's'}; the fit needs at least ${USL_MIN_THREAD_COUNTS} (λ, σ, κ)`,
    };
  }
  const ns = Float64Array.from(usable, (p) => p.n);
  const xs = Float64Array.from(usable, (p) => p.x);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sst = xs.reduce((a, b) => a + (b - meanX) ** 2, 0);
  if (!(meanX > 0)) return { ok: false, reason: 'no positive throughput to fit' };

  let starts: Candidate[];
  let onAxis: (hold: 'sigma' | 'kappa') => Candidate[];
  if (opts.start) {
    const { sigma, kappa } = opts.start;
    starts = [solve(ns, xs, sigma, kappa)];
    onAxis = (hold) => [hold === 'kappa' ? solve(ns, xs, sigma, 0) : solve(ns, xs, 0, kappa)];
  } else {
    // Grid: every (σ, κ) pair, keeping the few best as starting points.
    const grid: Candidate[] = [];
    for (const s of SIGMA_GRID) for (const k of KAPPA_GRID) grid.push(solve(ns, xs, s, k));
    grid.sort((a, b) => a.sse - b.sse);
    starts = grid.slice(0, 4);
    onAxis = (hold) => grid.filter((c) => (hold === 'kappa' ? c.kappa === 0 : c.sigma === 0)).slice(0, 3);
  }

  const interior = refine(ns, xs, starts, 'none');
  const amdahl = refine(ns, xs, onAxis('kappa'), 'kappa');
  const noContention = refine(ns, xs, onAxis('sigma'), 'sigma');
  // Prefer the simpler model when it fits as well (within 1e-9 of SST): a
  // noise-free Amdahl curve then gives κ = 0 exactly rather than 1e-15.
  const tol = 1e-9 * Math.max(sst, 1e-300);
  let best = interior;
  for (const c of [noContention, amdahl]) if (c.sse <= best.sse + tol) best = c;

  const { lambda, sigma, kappa } = best;
  const { peakN, peakThroughput } = uslPeak(best);
  const dof = usable.length - USL_PARAMETERS;
  const rse = dof > 0 ? Math.sqrt(best.sse / dof) : NaN;
  return {
    ok: true,
    fit: {
      lambda,
      sigma,
      kappa,
      rse,
      peakN,
      peakThroughput,
      points: usable.length,
      warning:
        distinct < USL_WARN_THREAD_COUNTS
          ? `only ${distinct} thread counts (< ${USL_WARN_THREAD_COUNTS}): σ and κ are rough`
          : null,
    },
  };
}

/** A number from a row field, by the rows' one cell rule: '', missing or not a number is NaN (Number('') would be 0). */
export const fieldNumber = (v: string | number | undefined): number => cellNumber(v);

/** The rows a fit reads: the measured ones (status `ok`, or no status at all); a failed or interrupted row has no throughput. */
export function asRecords(rows: RowsInput): RecordLike[] {
  return okRows(rows);
}
