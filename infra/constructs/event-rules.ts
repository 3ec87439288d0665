import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { EventRuleDefinition } from '#shared/service/events';
import type { FunctionName } from '#shared/service/functions';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface EventRulesProps {
  /** The event-rule table (`shared/service/events.ts`). */
  rules: readonly EventRuleDefinition[];
  bus: events.IEventBus;
  /** The bus's name as a literal: the key policy names the bus's rules without referring to the bus itself. */
  eventBusName: string;
  functions: Record<FunctionName, lambda.IFunction>;
  /** Encrypts each target's dead-letter queue. */
  encryptionKey: kms.IKey;
}

/**
 * One EventBridge rule per entry of the event-rule table, each invoking its function with retries and
 * a dead-letter queue for events EventBridge could not deliver.
 */
export class EventRules extends Construct {
  readonly rules: Record<string, events.Rule> = {};
  readonly deadLetterQueues: Record<string, DeadLetterQueue> = {};

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    for (const definition of props.rules) {
      const deadLetterQueue = new DeadLetterQueue(this, `${definition.name}DeadLetters`, {
        encryptionKey: props.encryptionKey,
      });
      const rule = new events.Rule(this, definition.name, {
        eventBus: props.bus,
        description: definition.description,
        eventPattern: definition.pattern as events.EventPattern,
      });
      rule.addTarget(
        new targets.LambdaFunction(props.functions[definition.target], {
          // A day of backed-off retries rides out a function outage; after that the event waits in the queue.
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: deadLetterQueue.queue,
        }),
      );
      this.rules[definition.name] = rule;
      this.deadLetterQueues[definition.name] = deadLetterQueue;
    }
    if (props.rules.length > 0) {
      // EventBridge writes to the encrypted queues itself, so the key trusts it for this bus's rules only.
      // The ARN is spelt out because referring to the rules would make the key depend on the bus it encrypts.
      props.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'aws:SourceArn': `arn:${partition}:events:${region}:${account}:rule/${props.eventBusName}/*`,
            },
          },
        }),
      );
    }
  }
}
