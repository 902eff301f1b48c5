// What a call threw, for a test that reads the error's fields (code, message, cause) beyond what
// toThrow checks; a call that returns fails the test.
export function caught<T = unknown>(fn: () => unknown): T {
  try {
    fn();
  } catch (e) {
    return e as T;
  }
  throw new Error('expected a throw');
}
