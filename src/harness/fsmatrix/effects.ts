/** What bench:fs does to the system, as a small interface: the runner calls it, tests pass a fake, real.ts is the real thing. */

export interface ExecResult {
  /** Exit status, or null when killed or not started. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it could not be started (ENOENT, ...). */
  readonly error?: string;
}

export interface BenchChild {
  readonly done: Promise<ExecResult>;
  /** Its process id, where there is a process (recorded in the owner file: see leftovers.ts). */
  readonly pid?: number;
  kill(sig: NodeJS.Signals): void;
  /** Blocks until the child has exited (a zombie counts) or `ms` passed; true when it exited. */
  waitExitSync(ms: number): boolean;
}

export interface Effects {
  /** Runs a short command to completion (losetup, mkfs, mount, umount). */
  exec(cmd: string, args: readonly string[]): ExecResult;
  /** Starts the bench CLI with these arguments; `label` prefixes its progress lines. */
  spawnBench(args: readonly string[], label: string): BenchChild;
  /** Mount points at or below `dir` (a real path), from /proc/self/mounts; throws when it cannot tell. */
  mountedUnder(dir: string): string[];
  sleepSync(ms: number): void;
  /** Results (stdout). */
  out(line: string): void;
  /** Progress and problems (stderr). */
  err(line: string): void;
}

/** `pending` until its turn; `not-run` when an interruption came first. */
