/**
 * Slots of the SharedArrayBuffer the coherence calibration shares with its
 * partner thread. Each word sits on its own 64-byte line, so the ping-pong
 * moves exactly one line and the wake-up test never touches it.
 */
const LINE_INTS = 16; // 64 bytes of Int32

export const PP = {
  /** Ping-pong turn counter: even = the main thread's move, odd = the partner's. */
  TURN: 0,
  /** Wake-up word: 1 = the partner should run, 0 = the main thread should. */
  WAKE: LINE_INTS,
  /** Set by the partner just before it goes to sleep on WAKE, so the main thread knows a round can start. */
  ARMED: LINE_INTS + 1,
  /** Set by the partner once it has started, so the main thread's first batch does not time thread start-up. */
  READY: 2 * LINE_INTS,
  /** Set by the main thread to make the partner leave its loop. */
  STOP: 2 * LINE_INTS + 1,
  INTS: 3 * LINE_INTS,
} as const;

/** What the partner thread is asked to do. */
export interface PingPongTask {
  readonly sab: SharedArrayBuffer;
  readonly mode: 'pingpong' | 'wake';
  /** Ping-pong: total hand-offs back to the main thread; wake: total round trips. */
  readonly rounds: number;
}
