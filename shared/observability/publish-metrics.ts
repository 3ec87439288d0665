import type { MiddlewareObj } from '@middy/core';
import { metrics } from './powertools.ts';

/**
 * Flushes the request's EMF metrics when there are any. Powertools' own `logMetrics` logs a warning on every
 * request that stored none (most do: interaction outcomes go out as single metrics), nearly half of each
 * request's log bytes for nothing.
 */
export function publishMetrics(): MiddlewareObj {
  const flush = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
