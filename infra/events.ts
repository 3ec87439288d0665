import type { FunctionName } from './functions.ts';

/** The `source` of every event the service puts on its bus. */
export const EVENT_SOURCE = 'shared-care-record';

/**
 * An EventBridge event pattern, as AWS documents it (exact values, prefix, suffix, anything-but, numeric,
 * exists, equals-ignore-case, wildcard, `$or`). The stack gives it to a Rule; the sandbox bus matches it itself.
 */
export type EventPattern = { [field: string]: unknown };

/** One EventBridge rule: events matching `pattern` invoke the `target` function. */
export interface EventRuleDefinition {
  name: string;
  description: string;
  pattern: EventPattern;
  target: FunctionName;
}

/** The one event-rule table, read by the CDK stack and by the sandbox's event bus. */
export const eventRules: EventRuleDefinition[] = [];
