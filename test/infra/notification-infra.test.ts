import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventRules } from '#infra/constructs/event-rules';
import { WorkQueues } from '#infra/constructs/work-queues';
import { EVENT_SOURCE, eventRules } from '#shared/service/events';
import { type FunctionName, functions as functionTable } from '#shared/service/functions';
import { queues } from '#shared/service/queues';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

// The event-rule and queue tables as they stand, on a small stack with one stand-in function per entry of the
// function table: quick to synthesize, and every logical id names its function.
let template: Template;
let resources: Resources;
let stack: Stack;
let fns: Record<FunctionName, lambda.Function>;

beforeAll(() => {
  stack = new Stack(new App(), 'Notifications', { env: { region: 'eu-west-2' } });
  const key = new kms.Key(stack, 'Key');
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'scr-test' });
  fns = Object.fromEntries(
    Object.keys(functionTable).map((name) => [
      name,
      new lambda.Function(stack, `Fn-${name}`, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('export const handler = async () => {};'),
      }),
    ]),
  ) as Record<FunctionName, lambda.Function>;
  new EventRules(stack, 'EventRules', {
    rules: eventRules,
    bus,
    eventBusName: 'scr-test',
    functions: fns,
    encryptionKey: key,
  });
  new WorkQueues(stack, 'WorkQueues', { queues, functions: fns, encryptionKey: key });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

const idOf = (construct: lambda.Function) =>
  stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('event rules for subscriptions and notices', () => {
  it.each(eventRules.map((r) => [r.name, r] as const))(
    '%s matches its detail-types on the bus and invokes its function with retries and a dead-letter queue',
    (_name, rule) => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: rule.pattern,
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [idOf(fns[rule.target]), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`${rule.name}DeadLetters`), 'Arn'] },
            },
          },
        ],
      });
    },
  );

  it('send every subscription topic, every safeguarding concern, every admission and discharge and every referral somewhere', () => {
    const detailTypes = (target: string) =>
      eventRules.filter((r) => r.target === target).flatMap((r) => r.pattern['detail-type'] as string[]);

    expect(eventRules.every((r) => (r.pattern.source as string[]).includes(EVENT_SOURCE))).toBe(true);
    expect(detailTypes('subscription-matcher').sort()).toEqual([
      'Appointment.Booked',
      'Appointment.Cancelled',
      'Composition.DischargeSummaryAdded',
      'DiagnosticReport.Added',
      'DocumentReference.Added',
      'Encounter.Admitted',
      'Encounter.Discharged',
      'Flag.SafeguardingRaised',
      'Patient.Deceased',
      'ServiceRequest.Received',
    ]);
    expect(detailTypes('safeguarding-notifier')).toEqual(['Flag.SafeguardingRaised']);
    expect(detailTypes('admission-notifier').sort()).toEqual(['Encounter.Admitted', 'Encounter.Discharged']);
    expect(detailTypes('referral-notifier')).toEqual(['ServiceRequest.Received']);
  });
});

describe('notification delivery queue', () => {
  const [deliveries] = queues;
  const queueId = () => {
    const [id] =
      ofType('AWS::SQS::Queue').find(
        ([id]) => id.startsWith(`WorkQueues${deliveries.name}`) && !id.includes('DeadLetters'),
      ) ?? [];
    return id as string;
  };
  const deadLetterId = () => {
    const [id] = ofType('AWS::SQS::Queue').find(([id]) => id.includes(`${deliveries.name}DeadLetters`)) ?? [];
    return id as string;
  };

  it('is KMS-encrypted, hides a message longer than its consumer runs, and redrives to its dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      VisibilityTimeout: deliveries.visibilityTimeoutSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId(), 'Arn'] },
        maxReceiveCount: deliveries.maxReceiveCount,
      },
    });
    // The deliveries queue itself (the match above could be any queue) redrives after ten receives, the
    // attempts a failing endpoint gets before its notification is dead-lettered (test/e2e/notifications.test.ts).
    expect(resources[queueId()]?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId(), 'Arn'] },
      maxReceiveCount: 10,
    });
    expect(deliveries.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * functionTable[deliveries.consumer].timeoutSeconds,
    );
  });

  it('keeps dead letters encrypted for fourteen days and refuses requests without TLS', () => {
    expect(resources[deadLetterId()]?.Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      KmsMasterKeyId: expect.anything(),
    });
    for (const id of [queueId(), deadLetterId()]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('feeds the delivery worker in batches, reporting partial batch failures, with bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      FunctionName: { Ref: idOf(fns[deliveries.consumer]) },
      BatchSize: deliveries.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: deliveries.maxConcurrency },
    });
  });

  it('lets only the matcher send to it, and tells matcher and worker its URL', () => {
    const senders = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('sqs:SendMessage'))
      .map(([, p]) => JSON.stringify(p.Properties.Roles));

    expect(senders).toHaveLength(1);
    expect(senders[0]).toContain(
      stack.getLogicalId(fns['subscription-matcher'].role?.node.defaultChild as CfnElement),
    );
    for (const name of ['subscription-matcher', 'notification-delivery'] as const) {
      expect(resources[idOf(fns[name])]?.Properties).toMatchObject({
        Environment: { Variables: { [deliveries.urlVariable]: { Ref: queueId() } } },
      });
    }
  });
});
