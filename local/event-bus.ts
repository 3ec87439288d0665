import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { matchesEventPattern } from '#shared/events/event-pattern';
import { type EventRuleDefinition, eventRules } from '#shared/service/events';
import { functions } from '#shared/service/functions';
import { loadHandler } from './function-loader.ts';
import { lambdaContext } from './lambda-context.ts';

/** An entry as PutEvents takes it. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: string | number;
  EventBusName?: string;
}

/** A delivery that failed every attempt, kept as the dead-letter queue would keep it. */
export interface DeadLetter {
  rule: string;
  event: EventBridgeEvent<string, unknown>;
  error: string;
}

// The sandbox remembers the latest events only, so a long-running sandbox does not grow without bound.
const PUBLISHED_KEPT = 5000;
// Lambda retries a failed asynchronous invocation twice before its on-failure destination.
const ASYNC_RETRIES = 2;

/**
 * The sandbox's EventBridge bus: each event is matched against the patterns of the one rule table and
 * delivered to each matching rule's function asynchronously, with Lambda's retries and a dead-letter list.
 */
export class LocalEventBus {
  readonly deadLetters: DeadLetter[] = [];
  readonly published: EventBridgeEvent<string, unknown>[] = [];
  /** While set, PutEvents fails, so tests can show that the outbox loses nothing. */
  failPublishing = false;
  /**
   * While set, every n-th entry fails and the rest are accepted, so the outbox publisher republishes entries
   * already on the bus and tests can show subscribers still get each event once.
   */
  failEveryNth = 0;
  private entriesSeen = 0;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly rules: EventRuleDefinition[] = eventRules,
    private readonly retryDelayMs = 200,
  ) {}

  /** Accepts entries as PutEvents does, answering each with an EventId or an error code. */
  put(entries: PutEventsEntry[]): { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] {
    return entries.map((entry) => {
      if (this.failPublishing)
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Sandbox fault: bus unavailable' };
      if (this.failEveryNth && ++this.entriesSeen % this.failEveryNth === 0)
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Sandbox fault: entry dropped' };
      const event: EventBridgeEvent<string, unknown> = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType ?? '',
        source: entry.Source ?? '',
        account: '000000000000',
        time: new Date(entry.Time ? Number(entry.Time) * 1000 || entry.Time : Date.now()).toISOString(),
        region: 'eu-west-2',
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail ?? '{}'),
      };
      this.published.push(event);
      if (this.published.length > PUBLISHED_KEPT)
        this.published.splice(0, this.published.length - PUBLISHED_KEPT);
      for (const rule of this.rules)
        if (matchesEventPattern(rule.pattern, event)) this.track(this.deliver(rule, event));
      return { EventId: event.id };
    });
  }

  /** Resolves when every delivery under way has finished (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void>) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(rule: EventRuleDefinition, event: EventBridgeEvent<string, unknown>): Promise<void> {
    const handler = await loadHandler(rule.target);
    let error = '';
    for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
      try {
        await handler(event, lambdaContext(rule.target, functions[rule.target].timeoutSeconds));
        return;
      } catch (e) {
        error = String(e);
      }
    }
    this.deadLetters.push({ rule: rule.name, event, error });
  }
}
