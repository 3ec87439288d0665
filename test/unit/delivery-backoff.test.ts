import { afterEach, describe, expect, it } from 'vitest';
import { retryBackoffFromEnvironment, retryDelaySeconds } from '#shared/notifications/delivery-backoff';
import { queues } from '#shared/service/queues';

const aws = { baseSeconds: 30, maxSeconds: 3600 };

describe('delivery backoff', () => {
  afterEach(() => {
    delete process.env.NOTIFICATION_RETRY_BASE_SECONDS;
    delete process.env.NOTIFICATION_RETRY_MAX_SECONDS;
  });

  it('doubles from the base after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelaySeconds(n, aws))).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
  });

  it('never asks SQS for more than its 12-hour visibility timeout', () => {
    expect(retryDelaySeconds(30, { baseSeconds: 30, maxSeconds: 100_000 })).toBe(43_200);
  });

  it('takes the sandbox override from the environment', () => {
    process.env.NOTIFICATION_RETRY_BASE_SECONDS = '0.1';
    process.env.NOTIFICATION_RETRY_MAX_SECONDS = '0.5';

    expect(retryBackoffFromEnvironment(aws)).toEqual({ baseSeconds: 0.1, maxSeconds: 0.5 });
    expect(retryBackoffFromEnvironment(aws).baseSeconds * 2 ** 3).toBeCloseTo(0.8);
  });

  it('retries for hours on AWS before the dead-letter queue', () => {
    const [deliveries] = queues;
    const waits = Array.from({ length: deliveries.maxReceiveCount - 1 }, (_, i) =>
      retryDelaySeconds(i + 1, deliveries.retryBackoff),
    );
    const hours = waits.reduce((a, b) => a + b, 0) / 3600;

    expect(hours).toBeGreaterThan(2);
    expect(hours).toBeLessThan(24);
    expect(deliveries.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * 30);
  });
});
