import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The service's logger and metrics, made once and imported everywhere (handlers never build their own).
 * Log lines are JSON and never carry patient data: log references, ids and codes, not resources.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'shared-care-record',
});

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SharedCareRecord',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'shared-care-record',
  // Metrics' own warnings go through the JSON logger, so every log line stays JSON with the request's ids.
  logger,
});
