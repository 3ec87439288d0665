/**
 * The deployment's alarm conditions, declared once: the stack's alarms (infra/constructs/service-monitoring.ts)
 * use these thresholds and link each alarm's description to its runbook, and the sandbox's ops page evaluates
 * the same conditions live on its own figures.
 */
export const alarmThresholds = {
  /** More than 1% of requests failing on the server for 15 minutes is an outage for some supplier. */
  api5xxShare: { share: 0.01, periods: 3 },
  /** Reads are tens of milliseconds; a p99 over 3 s for 15 minutes means suppliers' screens are waiting. */
  apiP99LatencySeconds: 3,
  apiP99LatencyPeriods: 3,
  /** Any throttled invocation or table request means the service is refusing work it should do. */
  throttles: 0,
  /** DynamoDB's own errors are retried by the SDK; several periods running in a row are an AWS incident. */
  dynamoSystemErrors: { count: 0, periods: 3, datapoints: 2 },
  /** Any message in a dead-letter queue is an event or delivery that needs a person. */
  deadLetters: 0,
  /** Any event EventBridge could not hand to its target, and any outbox batch not published. */
  failedInvocations: 0,
  /** The outbox should be published within seconds; five minutes behind means events are late. */
  outboxIteratorAgeMinutes: 5,
  /** Break-glass uses in an hour above which someone should look (the config's `breakGlassAlarmPerHour`). */
  breakGlassPerHourDefault: 5,
  /** Relationships started (care contexts claimed) in an hour above which someone should look (the config's). */
  relationshipStartedPerHourDefault: 50,
  /** Any bulk export workflow that failed, timed out or was aborted: an analyst is waiting on an export. */
  failedExports: 0,
} as const;

/** One runbook of `docs/runbooks/`: what an alarm means, how to confirm it, what to do. */
export interface Runbook {
  id: string;
  title: string;
}

/** The runbooks, one per kind of alarm; the file is `docs/runbooks/<id>.md`. */
export const runbooks = {
  api5xx: { id: 'api-5xx', title: 'API 5xx responses over 1%' },
  apiLatency: { id: 'api-latency', title: 'API p99 latency over 3 s' },
  throttling: { id: 'throttling', title: 'Throttled function or table' },
  dynamoErrors: { id: 'dynamodb-system-errors', title: 'DynamoDB system errors' },
  deadLetters: { id: 'dead-letters', title: 'Messages in a dead-letter queue' },
  eventDelivery: { id: 'event-delivery', title: 'Events not published or not delivered to a rule target' },
  outboxBehind: { id: 'outbox-behind', title: 'Outbox stream behind' },
  breakGlass: { id: 'break-glass', title: 'Break-glass uses above the hourly threshold' },
  relationshipStarted: { id: 'relationship-started', title: 'New relationships above the hourly threshold' },
  waf: { id: 'waf-blocks', title: 'Requests blocked by the web ACL' },
  exportFailed: { id: 'export-failed', title: 'A bulk export workflow failed, timed out or was aborted' },
} as const satisfies Record<string, Runbook>;

export const RUNBOOK_FOLDER = 'docs/runbooks';

/** The runbook for an alarm, from the friendly name the stack gives it (`DeadLetters-NotificationDeliveries`). */
export function runbookForAlarm(alarmName: string): Runbook | undefined {
  const rules: [RegExp, Runbook][] = [
    [/ExportWorkflow/i, runbooks.exportFailed],
    [/5xx/i, runbooks.api5xx],
    [/Latency|P99/i, runbooks.apiLatency],
    [/Throttl/i, runbooks.throttling],
    [/System-?Error/i, runbooks.dynamoErrors],
    [/Dead-?Letter|Queue-?Max-?Size/i, runbooks.deadLetters],
    [/Iterator-?Age/i, runbooks.outboxBehind],
    [/FailedInvocation|PublishFailure|EventPublish/i, runbooks.eventDelivery],
    [/BreakGlass/i, runbooks.breakGlass],
    [/RelationshipStarted/i, runbooks.relationshipStarted],
    [/WebAcl|Blocked/i, runbooks.waf],
  ];
  return rules.find(([pattern]) => pattern.test(alarmName))?.[1];
}
