import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { icbConfig, icbs } from '#infra/config/icbs';
import { DEFAULT_CLIENT_THROTTLE } from '#infra/config/types';
import { AUTHORIZER_CACHE_TTL } from '#infra/constructs/service-api';
import { ServiceMonitoring } from '#infra/constructs/service-monitoring';
import { nagPacks } from '#infra/stack';
import { REGISTRY_CACHE_SECONDS } from '#shared/access/supplier-registry';
import { usagePlanKey } from '#shared/http/usage-plan-key';
import { serviceMetricNames } from '#shared/observability/metric-names';
import { eventRules } from '#shared/service/events';
import { type FunctionName, functions } from '#shared/service/functions';
import { routes } from '#shared/service/routes';
import { synthesizedIcb, synthesizedVariant } from '../support/synthesized-icb.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Widget = { type: string; properties: { title?: string; markdown?: string; metrics?: unknown[][] } };

/** The resources of a synthesized template of one CloudFormation type. */
function resourcesOfType(resources: Record<string, Resource>) {
  return (type: string) => Object.values(resources).filter((r) => r.Type === type);
}

/** A dashboard's widgets, with the tokens in its body (region, ids) replaced by a placeholder. */
function widgetsOf(dashboard: Resource): Widget[] {
  const body = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] } | string;
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

/** Every metric a widget graphs, as `namespace/name` with its dimensions and stat. */
function metricsOf(widget: Widget) {
  return (widget.properties.metrics ?? []).flatMap((line) => {
    if (typeof line[0] !== 'string') return [];
    const options = (typeof line.at(-1) === 'object' ? line.at(-1) : {}) as { stat?: string };
    const names = line.filter((x): x is string => typeof x === 'string');
    const [namespace, name, ...pairs] = names[0] === '.' ? ['.', ...names.slice(1)] : names;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
    return [{ metric: `${namespace}/${name}`, dimensions, stat: options.stat }];
  });
}

/** An alarm's properties with its one metric's name, namespace, dimensions, statistic and period lifted up. */
function flatAlarm(alarm: Record<string, unknown>) {
  const [query] = (alarm.Metrics ?? []) as { MetricStat?: Record<string, Record<string, unknown>> }[];
  const stat = query?.MetricStat;
  return stat && (alarm.Metrics as unknown[]).length === 1
    ? { ...alarm, ...stat.Metric, Statistic: stat.Stat, Period: stat.Period }
    : alarm;
}

const searches = (widget: Widget) =>
  (widget.properties.metrics ?? []).flatMap((line) =>
    line.flatMap((x) => (typeof x === 'object' && x && 'expression' in x ? [String(x.expression)] : [])),
  );

describe.each(Object.keys(icbs))('operations of the example ICB %s', (name) => {
  const config = icbConfig(name);
  const deployment = `shared-care-record-${config.name}-${config.stage}`;
  // Every listed ICB's stack as `cdk synth` builds it, shared with the other infra files.
  const { app, stack, template, resources } = synthesizedIcb(name);
  const ofType = resourcesOfType(resources);
  const dashboards = ofType('AWS::CloudWatch::Dashboard');
  const detail = dashboards.find((d) => d.Properties.DashboardName === deployment) as Resource;
  const widgets = widgetsOf(detail);
  const graphed = widgets.flatMap(metricsOf);
  const alarms = ofType('AWS::CloudWatch::Alarm').map((a) => flatAlarm(a.Properties));
  const alarm = (suffix: string) => alarms.filter((a) => String(a.AlarmName).includes(suffix));

  describe('dashboard', () => {
    it('has a detail dashboard named for the deployment and a summary', () => {
      expect(dashboards.map((d) => d.Properties.DashboardName).sort()).toEqual([
        deployment,
        `${deployment}-Summary`,
      ]);
    });

    it('graphs the API as a whole: requests, 4xx and 5xx, and p50, p90 and p99 latency', () => {
      const api = graphed.filter((m) => m.dimensions.ApiName === deployment && !m.dimensions.Resource);
      for (const metric of ['Count', '4XXError', '5XXError', 'Latency']) {
        expect(api.map((m) => m.metric)).toContain(`AWS/ApiGateway/${metric}`);
      }
      expect(api.filter((m) => m.metric === 'AWS/ApiGateway/Latency').map((m) => m.stat)).toEqual(
        expect.arrayContaining(['p50', 'p90', 'p99']),
      );
    });

    it('graphs every route of the route table: requests, 4xx, 5xx and p50, p90, p99 latency', () => {
      for (const route of routes) {
        const own = graphed.filter(
          (m) => m.dimensions.Resource === route.path && m.dimensions.Method === route.method,
        );
        const label = `${route.method} ${route.path}`;
        expect(
          own.map((m) => m.metric),
          label,
        ).toEqual(
          expect.arrayContaining([
            'AWS/ApiGateway/Count',
            'AWS/ApiGateway/4XXError',
            'AWS/ApiGateway/5XXError',
          ]),
        );
        expect(
          own.filter((m) => m.metric === 'AWS/ApiGateway/Latency').map((m) => m.stat),
          label,
        ).toEqual(expect.arrayContaining(['p50', 'p90', 'p99']));
      }
    });

    it('graphs each function: errors, throttles, duration and concurrency', () => {
      const lambdaMetrics = new Set(
        graphed.filter((m) => m.metric.startsWith('AWS/Lambda/')).map((m) => m.metric),
      );
      for (const metric of ['Errors', 'Throttles', 'Duration', 'ConcurrentExecutions', 'Invocations']) {
        expect(lambdaMetrics).toContain(`AWS/Lambda/${metric}`);
      }
      const titles = widgets.map((w) => w.properties.markdown ?? '').join('\n');
      for (const fn of Object.keys(functions)) expect(titles).toContain(`Function ${fn}`);
    });

    it('graphs both tables: consumed capacity, throttles and system errors', () => {
      const dynamo = new Set(
        graphed.filter((m) => m.metric.startsWith('AWS/DynamoDB/')).map((m) => m.metric),
      );
      for (const metric of [
        'ConsumedReadCapacityUnits',
        'ConsumedWriteCapacityUnits',
        'ReadThrottleEvents',
        'WriteThrottleEvents',
        'SystemErrors',
      ]) {
        expect(dynamo).toContain(`AWS/DynamoDB/${metric}`);
      }
    });

    it("graphs EventBridge's failed invocations on the bus and every dead-letter queue's depth", () => {
      expect(widgets.flatMap(searches).join('\n')).toMatch(
        /FailedInvocations.*AWS\/Events|AWS\/Events.*FailedInvocations/,
      );
      const queues = graphed.filter((m) => m.metric === 'AWS/SQS/ApproximateNumberOfMessagesVisible');
      expect(queues.length).toBeGreaterThanOrEqual(Object.keys(stack.streamConsumers.onFailureQueues).length);
    });

    it("graphs the service's own metrics: requests by interaction and outcome, denials, break-glass, events, deliveries", () => {
      const text = JSON.stringify(widgets);
      for (const metric of Object.values(serviceMetricNames)) expect(text).toContain(metric);
      expect(widgets.flatMap(searches).join('\n')).toContain('"service","interaction","outcome"');
    });
  });

  describe('alarms', () => {
    it('sends every alarm to the SNS topic, which e-mails the address in the config', () => {
      expect(alarms.length).toBeGreaterThan(0);
      for (const a of alarms)
        expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: config.alarmEmail,
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    });

    it('alarms when more than 1% of requests fail with 5xx for 15 minutes', () => {
      expect(alarm('5xxShare')).toEqual([
        expect.objectContaining({
          MetricName: '5XXError',
          Statistic: 'Average',
          // README (Operations): "5xx responses over 1% of requests". API Gateway's 5XXError is 1 for a failed
          // request and 0 otherwise, so its average is the share that failed: 1% is 0.01.
          Threshold: 0.01,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
          Period: 300,
        }),
      ]);
    });

    it("alarms when the API's p99 latency stays over 3 seconds for 15 minutes", () => {
      expect(alarm('Api-Latency-P99')).toEqual([
        expect.objectContaining({ Threshold: 3000, EvaluationPeriods: 3, DatapointsToAlarm: 3 }),
      ]);
    });

    it('alarms on any throttling of a function or a table', () => {
      for (const fn of Object.keys(functions)) {
        expect(alarm(`Function-${fn}-Throttled`), fn).toEqual([expect.objectContaining({ Threshold: 0 })]);
      }
      for (const table of ['record', 'idempotency']) {
        expect(alarm(`Table-${table}-Read-Throttled`)).toHaveLength(1);
        expect(alarm(`Table-${table}-Write-Throttled`)).toHaveLength(1);
        expect(alarm(`Table-${table}-SystemError`)).toEqual([
          expect.objectContaining({ EvaluationPeriods: 3, DatapointsToAlarm: 2 }),
        ]);
      }
    });

    it('alarms on any message in any dead-letter or on-failure queue', () => {
      // Every queue but the work queues themselves is a dead-letter or on-failure queue.
      const queues = ofType('AWS::SQS::Queue').length - Object.keys(stack.workQueues.queues).length;
      const deadLetterAlarms = alarm('DeadLetters-');
      expect(deadLetterAlarms).toHaveLength(queues);
      for (const a of deadLetterAlarms) {
        expect(a).toMatchObject({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    });

    it('alarms on failed invocations: one per event rule, and outbox batches not published', () => {
      expect(alarm('FailedInvocations-')).toHaveLength(eventRules.length);
      expect(alarm('PublishFailures-outbox-publisher')).toEqual([
        expect.objectContaining({ MetricName: serviceMetricNames.eventPublishFailures, Threshold: 0 }),
      ]);
      expect(alarm('outbox-publisher-Iterator-Age')).toEqual([
        expect.objectContaining({ Threshold: 300_000 }),
      ]);
    });

    it("alarms when break-glass uses in an hour exceed the ICB's threshold", () => {
      const [breakGlass] = alarm('BreakGlassSpike');
      expect(breakGlass).toMatchObject({
        Threshold: config.breakGlassAlarmPerHour,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      const queries = breakGlass?.Metrics as {
        MetricStat?: { Metric: { MetricName: string }; Period: number };
      }[];
      const stats = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat] : []));
      expect(stats.length).toBeGreaterThan(0);
      for (const stat of stats)
        expect(stat).toMatchObject({ Metric: { MetricName: 'BreakGlass' }, Period: 3600 });
    });

    it("alarms when relationships started in an hour exceed the ICB's threshold", () => {
      const [started] = alarm('RelationshipStartedSpike');
      expect(started).toMatchObject({
        Threshold: config.relationshipStartedAlarmPerHour,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      const queries = started?.Metrics as {
        MetricStat?: { Metric: { MetricName: string }; Period: number };
      }[];
      const stats = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat] : []));
      expect(stats.length).toBeGreaterThan(0);
      for (const stat of stats)
        expect(stat).toMatchObject({ Metric: { MetricName: 'RelationshipStarted' }, Period: 3600 });
    });
  });

  describe('protection', () => {
    it(
      config.waf.enabled
        ? 'puts a regional WAF with managed rules and a rate limit on the stage'
        : 'has no WAF',
      () => {
        if (!config.waf.enabled) {
          template.resourceCountIs('AWS::WAFv2::WebACL', 0);
          return;
        }
        const [acl] = ofType('AWS::WAFv2::WebACL');
        expect(acl?.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
        const rules = acl?.Properties.Rules as Record<string, unknown>[];
        expect(rules[0]).toMatchObject({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: { Limit: config.waf.rateLimitPer5Minutes, AggregateKeyType: 'IP' },
          },
        });
        const groups = rules.map(
          (r) =>
            (r.Statement as { ManagedRuleGroupStatement?: { Name: string } }).ManagedRuleGroupStatement?.Name,
        );
        expect(groups).toEqual(
          expect.arrayContaining([
            'AWSManagedRulesCommonRuleSet',
            'AWSManagedRulesKnownBadInputsRuleSet',
            'AWSManagedRulesAmazonIpReputationList',
          ]),
        );
        template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
          ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        });
        template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
          RedactedFields: Match.arrayWith([
            { UriPath: {} },
            { QueryString: {} },
            { SingleHeader: { Name: 'authorization' } },
          ]),
        });
        expect(ofType('AWS::Logs::LogGroup').map((g) => g.Properties.LogGroupName)).toContain(
          `aws-waf-logs-${deployment}`,
        );
      },
    );

    it('gives each supplier client its own usage plan, keyed by what the authorizer names', () => {
      const plans = ofType('AWS::ApiGateway::UsagePlan');
      expect(plans).toHaveLength(config.supplierClients.length);
      for (const client of config.supplierClients) {
        const throttle = client.throttle ?? DEFAULT_CLIENT_THROTTLE;
        template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
          Throttle: { RateLimit: throttle.rateLimit, BurstLimit: throttle.burstLimit },
          Description: Match.stringLikeRegexp(client.organisations[0] as string),
        });
        template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Value: usagePlanKey(client.clientId) });
      }
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
      for (const method of ofType('AWS::ApiGateway::Method')) {
        expect(method.Properties.ApiKeyRequired ?? false).toBe(
          method.Properties.AuthorizationType === 'CUSTOM',
        );
      }
    });

    it('keeps the authorizer cache and the registry cache within 60 seconds together (CONTRACT §2)', () => {
      expect(AUTHORIZER_CACHE_TTL.toSeconds() + REGISTRY_CACHE_SECONDS).toBeLessThanOrEqual(60);
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL.toSeconds(),
      });
    });

    it(
      config.customDomain ? 'serves only through the custom domain, with mutual TLS' : 'has no custom domain',
      () => {
        const domain = config.customDomain;
        if (!domain) {
          template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
          return;
        }
        const [bucket, ...key] = domain.truststoreUri.replace('s3://', '').split('/');
        template.hasResourceProperties('AWS::ApiGateway::DomainName', {
          DomainName: domain.domainName,
          RegionalCertificateArn: domain.certificateArn,
          SecurityPolicy: 'TLS_1_2',
          MutualTlsAuthentication: {
            TruststoreUri: `s3://${bucket}/${key.join('/')}`,
            ...(domain.truststoreVersion ? { TruststoreVersion: domain.truststoreVersion } : {}),
          },
        });
        template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
        template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
      },
    );
  });

  it("applies the config's registry (Organizations and supplier systems) on deployment, from one S3 asset", () => {
    const asset = stack.organisations.asset;
    template.hasResourceProperties('Custom::Organisations', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('organisationregister'), 'Arn'] },
      Registry: { Bucket: Match.anyValue(), Key: asset.s3ObjectKey },
    });
    const uploaded = JSON.parse(readFileSync(join(app.outdir, asset.assetPath), 'utf8'));
    expect(uploaded.organisations).toEqual(config.organisations);
    expect(uploaded.supplierSystems.map((s: { clientId: string }) => s.clientId)).toEqual(
      config.supplierClients.map((c) => c.clientId),
    );
  });

  describe('idempotency table and cursor secret', () => {
    it('has an on-demand, recoverable, KMS-encrypted idempotency table keyed on id with TTL on expiration', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
    });

    it('tells the functions granted them where the idempotency table and the cursor secret are', () => {
      const variables = (fn: FunctionName) => {
        const id = stack.getLogicalId(stack.functions.lambdas[fn].node.defaultChild as never);
        return (template.toJSON().Resources[id].Properties.Environment?.Variables ?? {}) as Record<
          string,
          unknown
        >;
      };
      for (const fn of Object.keys(functions) as FunctionName[]) {
        const grants: Record<string, unknown> = functions[fn].grants;
        expect('IDEMPOTENCY_TABLE_NAME' in variables(fn), fn).toBe(grants.idempotency !== undefined);
        expect('CURSOR_SECRET_ARN' in variables(fn), fn).toBe(grants.cursorSecret !== undefined);
      }
      expect(variables('fhir').CURSOR_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^CursorSecret/) });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
        KmsKeyId: Match.anyValue(),
      });
    });
  });

  it('leaves cdk-nag nothing unacknowledged', () => {
    const findings = nagPacks().flatMap((pack) =>
      pack
        .validateScope(app)
        .violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`),
    );
    expect(findings).toEqual([]);
  });
});

describe('a deployment with the WAF off', () => {
  it('has no web ACL and acknowledges why, and cdk-nag stays clean', () => {
    const config = { ...icbConfig('example-icb'), waf: { enabled: false, rateLimitPer5Minutes: 3000 } };
    // Not a listed ICB, so its own synth (without bundling: only the stack's shape matters here).
    const { app, template } = synthesizedVariant(config);

    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const findings = nagPacks().flatMap((pack) => pack.validateScope(app).violations.map((v) => v.ruleName));
    expect(findings).toEqual([]);
  });
});

describe('failed-invocation alarms of event rules', () => {
  it('alarms on each rule of the bus, so rules added to the table are watched', () => {
    const stack = new Stack(new App(), 'Monitoring', { env: { region: 'eu-west-2' } });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { stageName: 'v1' } });
    api.root.addMethod('GET', new apigateway.LambdaIntegration(fn));
    const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'scr-test' });
    const rule = new events.Rule(stack, 'Admitted', { eventBus: bus, eventPattern: { source: ['x'] } });
    new ServiceMonitoring(stack, 'Monitoring', {
      name: 'scr-test',
      api,
      stageName: 'v1',
      routes: [],
      functions: { fhir: fn } as unknown as Record<FunctionName, lambda.IFunction>,
      streamConsumers: [],
      tables: {
        record: new dynamodb.Table(stack, 'T', {
          partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
        }),
      },
      deadLetterQueues: { admitted: new sqs.Queue(stack, 'Q') },
      workQueues: {},
      eventBusName: 'scr-test',
      eventRules: { Admitted: rule },
      alarmTopic: new sns.Topic(stack, 'Topic'),
      breakGlassAlarmPerHour: 5,
      relationshipStartedAlarmPerHour: 50,
    });

    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) =>
      flatAlarm(a.Properties),
    );
    expect(alarms.filter((a) => String(a.AlarmName).includes('FailedInvocations-Admitted'))).toEqual([
      expect.objectContaining({
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: expect.arrayContaining([{ Name: 'EventBusName', Value: 'scr-test' }]),
        Threshold: 0,
      }),
    ]);
  });
});
