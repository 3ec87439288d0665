/** An error class, so `refusal` can tell the refusal it expects from an unrelated failure. */
type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * The error of kind `kind` that `act` refuses with, for asserting what the refusal says (status, code,
 * diagnostics). Any other error is rethrown, and an act that succeeds fails the test: a refusal is expected.
 * Given a promise, answers a promise of the refusal.
 *
 * @example expect(refusal(BadRequestError, () => parseSearchRequest('Observation', {})).status).toBe(400);
 */
export function refusal<E extends Error>(kind: ErrorClass<E>, act: () => unknown): E;
export function refusal<E extends Error>(kind: ErrorClass<E>, act: Promise<unknown>): Promise<E>;
export function refusal<E extends Error>(kind: ErrorClass<E>, act: (() => unknown) | Promise<unknown>) {
  const caught = (error: unknown): E => {
    if (error instanceof kind) return error;
    throw error;
  };
  const accepted = () => new Error(`expected a ${kind.name}, but it was accepted`);
  if (act instanceof Promise) {
    return act.then(() => {
      throw accepted();
    }, caught);
  }
  try {
    act();
  } catch (error) {
    return caught(error);
  }
  throw accepted();
}
