// The shared command shell's signal handling (src/commands/main.ts): SIGINT /
// SIGTERM are the process's default until a command asks for them, abort the
// command's signal while it runs, give 130 / 143, and are handed back after.
import { afterEach, describe, expect, it } from 'vitest';
import { interruptedStatus, runMain } from '../../src/commands/main.js';

const cwd = process.cwd();
afterEach(() => {
  process.chdir(cwd); // runMain moves to the invoking directory
  process.exitCode = 0;
});

describe('runMain and interrupts', () => {
  it('130 for SIGINT, 143 for SIGTERM', () => {
    expect(interruptedStatus('SIGINT')).toBe(130);
    expect(interruptedStatus('SIGTERM')).toBe(143);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s aborts the signal of a command that listens, which returns %i; the handlers are removed after',
    async (sig, status) => {
      const before = process.listenerCount(sig);
      let during = 0;
      await runMain((_argv, interrupts) => {
        const signal = interrupts.listen();
        during = process.listenerCount(sig);
        process.emit(sig, sig); // what the process's own handler would receive
        return signal.aborted ? interruptedStatus(signal.reason) : 0;
      });
      expect(during).toBe(before + 1);
      expect(process.exitCode).toBe(status);
      expect(process.listenerCount(sig)).toBe(before);
    },
  );

  it('installs nothing for a command that does not listen', async () => {
    const before = process.listenerCount('SIGINT');
    let during = -1;
    await runMain(() => {
      during = process.listenerCount('SIGINT');
      return 0;
    });
    expect(during).toBe(before);
    expect(process.exitCode).toBe(0);
  });
});
