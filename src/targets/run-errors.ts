/**
 * How a target's run fails. The sweep records each as a row of its kind: a
 * failed run (RunError, HangError, InvariantError) or an interrupted one
 * (AbortError).
 */

export class RunError extends Error {
  override readonly name = 'RunError';
}

/** The sweep was interrupted (SIGINT, SIGTERM). */
export class AbortError extends Error {
  override readonly name = 'AbortError';
}

/** The watchdog saw no progress; `diagnostic` has the lock, journal and thread state at that moment. */
export class HangError extends Error {
  override readonly name = 'HangError';
  readonly diagnostic: string[];

  constructor(message: string, diagnostic: string[]) {
    super(message);
    this.diagnostic = diagnostic;
  }
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  readonly violations: string[];

  constructor(violations: string[]) {
    super(
      `invariant broken: ${violations.slice(0, 3).join('; ')}${violations.length > 3 ? ` (+${violations.length - 3} more)` : ''}`,
    );
    this.violations = violations;
  }
}

/** Why `signal` aborted, as an AbortError and the sweep's summary name it (the signal's name, SIGINT or SIGTERM). */
export const abortReason = (signal: AbortSignal): string => String(signal.reason ?? 'aborted');
