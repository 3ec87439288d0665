import { describe, expect, it } from 'vitest';
import { sandboxRuns } from '../support/global-setup.ts';
import { readLogLines } from '../support/log-lines.ts';

// Runs after the main project, whose notification tests dead-letter deliveries and whose auth tests are refused.
describe('delivery and token log lines (run after every other test)', () => {
  // Every sandbox run's log: the sandbox project's and the fault tests' own.
  const lines = sandboxRuns().flatMap((run) => readLogLines(run.logFile).json);
  const withMessage = (message: string) => lines.filter((l) => l.message === message);

  it('name the subscription and event on every delivery line', () => {
    const delivery = [
      ...withMessage('Delivery to retry'),
      ...withMessage('Notification delivered'),
      ...withMessage('Notification dead-lettered after its last attempt'),
    ];
    expect(delivery.length).toBeGreaterThan(0);
    for (const line of delivery) {
      expect(line.subscriptionId, JSON.stringify(line)).toEqual(expect.any(String));
      expect(line.eventId, JSON.stringify(line)).toEqual(expect.any(String));
    }
  });

  it('log a dead-letter line, not a retry, on the last attempt', () => {
    const deadLettered = withMessage('Notification dead-lettered after its last attempt');
    expect(deadLettered.length).toBeGreaterThan(0);
    expect(deadLettered[0]).toMatchObject({ level: 'ERROR', attempt: 10 });
    expect(withMessage('Delivery to retry').some((l) => l.delaySeconds === 0 && l.attempt === 10)).toBe(
      false,
    );
  });

  it('name the client on token refusals whose assertion names one', () => {
    const refused = withMessage('Token request refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.some((l) => typeof l.clientId === 'string' && l.clientId.startsWith('sandbox-'))).toBe(
      true,
    );
  });
});
