import { expect } from 'vitest';

/**
 * How long a sandbox test waits for something asynchronous (an event, a notice, a delivery). Generous on
 * purpose: on a loaded machine with many workers the pollers fall behind, and `expect.poll` stops as soon as
 * the condition holds, so a long limit costs a passing test nothing.
 */
export const EVENTUALLY_MS = 90_000;

/** What `probe` answers once `done` holds of it; `expect.poll` waits, failing after `timeout`. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeout = EVENTUALLY_MS,
): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await probe();
        return done(last);
      },
      { timeout, interval: 100 },
    )
    .toBe(true);
  return last as T;
}
