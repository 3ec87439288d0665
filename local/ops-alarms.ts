import { alarmThresholds, type Runbook, runbooks } from '#shared/observability/alarm-conditions';
import type { OpsSnapshot } from './sandbox-metrics.ts';

/** One of the deployment's alarm conditions, evaluated on the sandbox's figures. */
export interface AlarmState {
  runbook: Runbook;
  /** `alarm` (the condition holds: red), `ok`, or `not-measured` (nothing in the sandbox stands for it). */
  state: 'alarm' | 'ok' | 'not-measured';
  detail: string;
}

/**
 * The deployment's alarm conditions (shared/observability/alarm-conditions.ts) evaluated live on the sandbox's
 * figures since it started: what would be red on the deployment's alarm list. The sandbox has no five-minute
 * periods, so a share or a percentile is taken over everything it has counted.
 */
export function evaluateAlarms(
  s: OpsSnapshot,
  breakGlassPerHour: number = alarmThresholds.breakGlassPerHourDefault,
): AlarmState[] {
  const share5xx = s.totals.requests ? s.totals.status5xx / s.totals.requests : 0;
  const worstP99 = Math.max(0, ...s.routes.map((r) => r.p99));
  const slowest = s.routes.find((r) => r.p99 === worstP99);
  const deadLetters = (s.counters.DeadLetters ?? 0) + (s.counters.DeliveryDeadLetters ?? 0);
  const publishFailures = (s.counters.EventPublishFailures ?? 0) + (s.counters.FailedStreamBatches ?? 0);
  const breakGlass = s.recent.BreakGlass?.length ?? 0;
  const when = (firing: boolean) => (firing ? 'alarm' : 'ok') as AlarmState['state'];
  const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
  return [
    {
      runbook: runbooks.api5xx,
      state: when(share5xx > alarmThresholds.api5xxShare.share),
      detail: `${s.totals.status5xx} of ${s.totals.requests} requests (${percent(share5xx)}); alarms above ${percent(alarmThresholds.api5xxShare.share)}`,
    },
    {
      runbook: runbooks.apiLatency,
      state: when(worstP99 > alarmThresholds.apiP99LatencySeconds * 1000),
      detail: `worst p99 ${worstP99} ms${slowest ? ` (${slowest.route})` : ''}; alarms above ${alarmThresholds.apiP99LatencySeconds * 1000} ms`,
    },
    {
      runbook: runbooks.deadLetters,
      state: when(deadLetters > alarmThresholds.deadLetters),
      detail: `${deadLetters} in dead-letter queues (event rules ${s.counters.DeadLetters ?? 0}, deliveries ${s.counters.DeliveryDeadLetters ?? 0})`,
    },
    {
      runbook: runbooks.eventDelivery,
      state: when(publishFailures > alarmThresholds.failedInvocations),
      detail: `${s.counters.EventPublishFailures ?? 0} outbox batches not published, ${s.counters.FailedStreamBatches ?? 0} stream batches failed`,
    },
    {
      runbook: runbooks.breakGlass,
      state: when(breakGlass > breakGlassPerHour),
      detail: `${breakGlass} in the last hour; alarms above ${breakGlassPerHour}`,
    },
    ...[runbooks.throttling, runbooks.dynamoErrors, runbooks.outboxBehind, runbooks.waf].map((runbook) => ({
      runbook,
      state: 'not-measured' as const,
      detail:
        'not measured in the sandbox (no Lambda or DynamoDB throttles, system errors, stream lag or WAF here)',
    })),
  ];
}
