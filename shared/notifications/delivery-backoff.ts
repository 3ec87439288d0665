/** How failed deliveries back off: the queue table's `retryBackoff`, possibly shortened by the sandbox. */
export interface RetryBackoff {
  baseSeconds: number;
  maxSeconds: number;
}

/** SQS's longest visibility timeout. */
const SQS_MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Seconds to hide a message after its `receiveCount`-th attempt failed: exponential from `baseSeconds`,
 * capped at `maxSeconds` (and at SQS's 12 hours).
 * @example retryDelaySeconds(3, { baseSeconds: 30, maxSeconds: 3600 }) // 120
 */
export function retryDelaySeconds(receiveCount: number, backoff: RetryBackoff): number {
  const exponent = Math.max(0, receiveCount - 1);
  return Math.min(backoff.baseSeconds * 2 ** exponent, backoff.maxSeconds, SQS_MAX_VISIBILITY_SECONDS);
}

/**
 * The backoff in force: `fallback` (the queue table's), unless `NOTIFICATION_RETRY_BASE_SECONDS` and
 * `NOTIFICATION_RETRY_MAX_SECONDS` say otherwise (the sandbox sets fractions of a second so tests stay fast).
 */
export function retryBackoffFromEnvironment(fallback: RetryBackoff): RetryBackoff {
  const base = Number(process.env.NOTIFICATION_RETRY_BASE_SECONDS);
  const max = Number(process.env.NOTIFICATION_RETRY_MAX_SECONDS);
  return {
    baseSeconds: base > 0 ? base : fallback.baseSeconds,
    maxSeconds: max > 0 ? max : fallback.maxSeconds,
  };
}
