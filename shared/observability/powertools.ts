import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The service's logger and metrics, made once and imported everywhere (handlers never build their own).
 * Log lines are JSON and never carry patient data: log references, ids and codes, not resources.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'shared-care-record',
});

/** Told of every metric a function adds, by name and value, in the same process. */
export type MetricListener = (name: string, value: number) => void;
const listeners = new Set<MetricListener>();
type AddMetric = Parameters<Metrics['addMetric']>;

/** Powertools metrics that also tell in-process listeners what they count (the sandbox's ops page listens). */
class ObservedMetrics extends Metrics {
  override addMetric(
    name: AddMetric[0],
    unit: AddMetric[1],
    value: AddMetric[2],
    resolution?: AddMetric[3],
  ): this {
    super.addMetric(name, unit, value, resolution);
    for (const listener of listeners) listener(name, value);
    return this;
  }

  /** A single metric (emitted at once, default dimensions only) whose value listeners hear of too. */
  override singleMetric(): Metrics {
    const single = super.singleMetric();
    const add = single.addMetric.bind(single);
    single.addMetric = (name, unit, value, resolution) => {
      for (const listener of listeners) listener(name, value);
      return add(name, unit, value, resolution);
    };
    return single;
  }
}

export const metrics: Metrics = new ObservedMetrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SharedCareRecord',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'shared-care-record',
  // Metrics' own warnings go through the JSON logger, so every log line stays JSON with the request's ids.
  logger,
});

/**
 * The one single-metric instance (a metric emitted at once, with its own dimensions), made once: each
 * `metrics.singleMetric()` builds a new Metrics with its own Console, about 40 µs of CPU (measured). Reuse is
 * safe: emitting clears its metrics and request dimensions, and each caller adds its dimensions and emits in
 * one synchronous call, so concurrent requests in the sandbox never see each other's.
 */
let reusedSingleMetric: Metrics | undefined;
export function singleMetric(): Metrics {
  reusedSingleMetric ??= metrics.singleMetric();
  return reusedSingleMetric;
}

/**
 * Calls `listener` for every metric the functions add in this process, whatever its dimensions: the sandbox
 * counts them for its ops page under the names CloudWatch shows. Returns a function that stops listening.
 */
export function onMetric(listener: MetricListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
