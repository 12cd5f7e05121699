/**
 * What a call threw, undefined when it returned: for a test that checks the
 * error's class and its fields (option, message, stack) together, which one
 * toThrow can not.
 */
export function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}
