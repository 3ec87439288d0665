import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { EventRules } from '#infra/constructs/event-rules';
import { EVENT_SOURCE, type EventRuleDefinition } from '#shared/service/events';
import { type FunctionName, functions as functionTable } from '#shared/service/functions';

/** A rule as the event-rule table will hold it once the notifiers exist. */
const admitted: EventRuleDefinition = {
  name: 'AdmissionNotifier',
  description: 'Tells the registered practice about an admission',
  pattern: { source: [EVENT_SOURCE], 'detail-type': ['Encounter.Admitted'] },
  target: 'fhir',
};

// The stack's rule table is empty today, so the construct is checked here with a rule of its own.
function synthesize(rules: EventRuleDefinition[]) {
  const stack = new Stack(new App(), 'Rules', { env: { region: 'eu-west-2' } });
  const key = new kms.Key(stack, 'Key');
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'scr-test' });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {};'),
  });
  const functions = Object.fromEntries(
    Object.keys(functionTable).map((name) => [name, fn as lambda.IFunction]),
  ) as Record<FunctionName, lambda.IFunction>;
  new EventRules(stack, 'EventRules', {
    rules,
    bus,
    eventBusName: 'scr-test',
    functions,
    encryptionKey: key,
  });
  return Template.fromStack(stack);
}

describe('event rules', () => {
  it('makes a rule on the bus with the pattern, targeting the function with retries and a dead-letter queue', () => {
    const template = synthesize([admitted]);

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: admitted.pattern,
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
        },
      ],
    });
  });

  it("encrypts each dead-letter queue and lets only this bus's rules use the key", () => {
    const template = synthesize([admitted]);

    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).toContain(':rule/scr-test/*');
  });

  it('makes nothing for an empty table', () => {
    const template = synthesize([]);

    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });
});
