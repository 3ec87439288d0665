import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnAlarm,
  ComparisonOperator,
  type IMetric,
  LogQueryWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import {
  type CustomMetricGroup,
  DefaultDashboardFactory,
  LatencyType,
  MetricStatistic,
  type MetricWithAlarmSupport,
  MonitoringFacade,
  SnsAlarmActionStrategy,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import {
  RUNBOOK_FOLDER,
  runbookForAlarm,
  alarmThresholds as shared,
} from '#shared/observability/alarm-conditions';
import { METRICS_NAMESPACE, serviceMetricNames } from '#shared/observability/metric-names';
import type { FunctionName } from '#shared/service/functions';
import type { RouteDefinition } from '#shared/service/routes';

/**
 * Alarm thresholds, each with why (shared/observability/alarm-conditions.ts, which the sandbox's ops page
 * evaluates too). Periods are five minutes unless said otherwise.
 */
export const alarmThresholds = {
  ...shared,
  apiP99Latency: {
    latency: Duration.seconds(shared.apiP99LatencySeconds),
    periods: shared.apiP99LatencyPeriods,
  },
  outboxIteratorAge: Duration.minutes(shared.outboxIteratorAgeMinutes),
} as const;

export interface ServiceMonitoringProps {
  /** The deployment's name: names the dashboards and prefixes every alarm. */
  name: string;
  api: apigateway.RestApi;
  stageName: string;
  routes: readonly RouteDefinition[];
  functions: Record<FunctionName, lambda.IFunction>;
  /** Functions fed by the table stream: their iterator age is watched. */
  streamConsumers: readonly FunctionName[];
  tables: Record<string, dynamodb.ITable>;
  /** Every dead-letter and on-failure queue, by a readable name. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** Queues of work still to do (notification deliveries), by name: their depth and oldest message. */
  workQueues: Record<string, sqs.IQueue>;
  eventBusName: string;
  eventRules: Record<string, events.Rule>;
  webAcl?: wafv2.CfnWebACL;
  alarmTopic: sns.ITopic;
  breakGlassAlarmPerHour: number;
  /** Relationships started in an hour, across the service, above which the relationship alarm goes off. */
  relationshipStartedAlarmPerHour: number;
  /** API Gateway's access log (one JSON line per request, with `clientId`, `organisation` and `status`). */
  accessLogs?: logs.ILogGroup;
  /** The notification-delivery function's log group (its dead-letter lines name the subscription). */
  deliveryLogs?: logs.ILogGroup;
  /** The bulk export workflow: any failed, timed-out or aborted execution is an export an analyst did not get. */
  exportWorkflow?: sfn.IStateMachine;
}

/**
 * The deployment's CloudWatch dashboards and alarms, built with cdk-monitoring-constructs: the API as a whole and
 * per route, the functions, the tables, EventBridge, the dead-letter queues, the WAF and the service's own
 * metrics. Every alarm notifies the alarm topic.
 */
export class ServiceMonitoring extends Construct {
  readonly facade: MonitoringFacade;
  /** The detail dashboard (`<name>`) and the summary dashboard (`<name>-Summary`). */
  readonly dashboards: DefaultDashboardFactory;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    this.dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: props.name,
      createDashboard: true,
      createSummaryDashboard: true,
      createAlarmDashboard: false,
    });
    this.facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: props.name,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: props.alarmTopic }),
        datapointsToAlarm: 1,
      },
      metricFactoryDefaults: { namespace: METRICS_NAMESPACE },
      dashboardFactory: this.dashboards,
    });
    const facade = this.facade;
    const metrics = facade.createMetricFactory();

    facade.addLargeHeader(`Shared care record: ${props.name}`);
    this.monitorApi(props, metrics);
    this.monitorServiceMetrics(props, metrics);

    facade.addLargeHeader('Functions');
    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, lambda.IFunction][]) {
      const streamed = props.streamConsumers.includes(name);
      facade.monitorLambdaFunction({
        lambdaFunction: fn,
        humanReadableName: `Function ${name}`,
        alarmFriendlyName: `Function-${name}`,
        addThrottlesCountAlarm: { Critical: { maxErrorCount: alarmThresholds.throttles } },
        ...(streamed
          ? {
              addMaxIteratorAgeAlarm: {
                Critical: { maxAgeInMillis: alarmThresholds.outboxIteratorAge.toMilliseconds() },
              },
            }
          : {}),
      });
    }

    facade.addLargeHeader('Tables');
    for (const [name, table] of Object.entries(props.tables)) {
      const { count, periods, datapoints } = alarmThresholds.dynamoSystemErrors;
      facade.monitorDynamoTable({
        table,
        humanReadableName: `Table ${name}`,
        alarmFriendlyName: `Table-${name}`,
        addReadThrottledEventsCountAlarm: {
          Critical: { maxThrottledEventsThreshold: alarmThresholds.throttles },
        },
        addWriteThrottledEventsCountAlarm: {
          Critical: { maxThrottledEventsThreshold: alarmThresholds.throttles },
        },
        addSystemErrorCountAlarm: {
          Critical: { maxErrorCount: count, evaluationPeriods: periods, datapointsToAlarm: datapoints },
        },
      });
    }

    facade.addLargeHeader('Events, queues and dead letters');
    this.monitorEventBridge(props, metrics);
    for (const [name, queue] of Object.entries(props.workQueues)) {
      // Deliveries retry with backoff, so a queue that is not empty is normal: its dead-letter queue alarms.
      facade.monitorSqsQueue({
        queue,
        humanReadableName: `Queue: ${name}`,
        alarmFriendlyName: `Queue-${name}`,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      facade.monitorSqsQueue({
        queue,
        humanReadableName: `Dead letters: ${name}`,
        alarmFriendlyName: `DeadLetters-${name}`,
        addQueueMaxSizeAlarm: { Critical: { maxMessageCount: alarmThresholds.deadLetters } },
      });
    }

    if (props.exportWorkflow) {
      facade.addLargeHeader('Bulk export');
      facade.monitorStepFunction({
        stateMachine: props.exportWorkflow,
        humanReadableName: 'Bulk export workflow',
        alarmFriendlyName: 'ExportWorkflow',
      });
      // One alarm, not one per outcome: a large ICB's stack is close to CloudFormation's 500 resources.
      const executions = (metricName: string) =>
        metrics.createMetric(
          metricName,
          MetricStatistic.SUM,
          metricName,
          { StateMachineArn: props.exportWorkflow?.stateMachineArn as string },
          undefined,
          'AWS/States',
        );
      facade.monitorCustom({
        humanReadableName: 'Bulk exports not finished',
        alarmFriendlyName: 'ExportWorkflow',
        metricGroups: [
          {
            title: 'Executions failed, timed out or aborted',
            metrics: [
              {
                metric: metrics.createMetricMath(
                  'failed + timedOut + aborted',
                  {
                    failed: executions('ExecutionsFailed'),
                    timedOut: executions('ExecutionsTimedOut'),
                    aborted: executions('ExecutionsAborted'),
                  },
                  'Exports not finished',
                ),
                alarmFriendlyName: 'ExportWorkflowNotFinished',
                addAlarm: {
                  Critical: {
                    threshold: alarmThresholds.failedExports,
                    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                    treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                  },
                },
              },
            ],
          },
        ],
      });
    }

    if (props.webAcl) {
      facade.addLargeHeader('WAF');
      facade.monitorWebApplicationFirewallAclV2({
        acl: props.webAcl,
        // A regional ACL's metrics carry its region as a dimension.
        region: Stack.of(this).region,
        humanReadableName: 'Web ACL',
        alarmFriendlyName: 'WebAcl',
      });
    }
    this.addBreakdowns(props);
    this.linkRunbooks();
  }

  /**
   * Who is calling and what fails for whom, from the logs (a metric dimension per client would cost a metric
   * each): requests by client, organisation and status; 4xx by status; dead-lettered deliveries by subscription.
   */
  private addBreakdowns(props: ServiceMonitoringProps) {
    const widgets: LogQueryWidget[] = [];
    const query = (title: string, logGroup: logs.ILogGroup, queryLines: string[]) =>
      widgets.push(
        new LogQueryWidget({
          title,
          logGroupNames: [logGroup.logGroupName],
          queryLines,
          width: 12,
          height: 7,
        }),
      );
    if (props.accessLogs) {
      query('Requests by client and status', props.accessLogs, [
        'fields clientId, status',
        'stats count(*) as requests by clientId, status',
        'sort requests desc',
        'limit 50',
      ]);
      query('Requests by organisation and status', props.accessLogs, [
        'fields organisation, status',
        'stats count(*) as requests by organisation, status',
        'sort requests desc',
        'limit 50',
      ]);
      query('4xx by status and client', props.accessLogs, [
        'filter status >= 400 and status < 500',
        'stats count(*) as responses by status, clientId',
        'sort responses desc',
        'limit 50',
      ]);
    }
    if (props.deliveryLogs) {
      query('Dead-lettered deliveries by subscription, with the last error', props.deliveryLogs, [
        "filter message = 'Notification dead-lettered after its last attempt'",
        'stats count(*) as deadLettered, latest(reason) as lastError by subscriptionId',
        'sort deadLettered desc',
      ]);
    }
    if (widgets.length) {
      this.facade.addLargeHeader('Who is calling, and what fails for whom');
      for (const widget of widgets) this.facade.addWidget(widget);
    }
  }

  /** Every alarm's description ends with its runbook (docs/runbooks/): what it means, how to confirm, what to do. */
  private linkRunbooks() {
    for (const { alarm, alarmName } of this.facade.createdAlarms()) {
      const runbook = runbookForAlarm(alarmName);
      const cfn = alarm.node.defaultChild as CfnAlarm | undefined;
      if (!runbook || !cfn) continue;
      const described = typeof cfn.alarmDescription === 'string' ? `${cfn.alarmDescription} ` : '';
      cfn.alarmDescription = `${described}Runbook: ${RUNBOOK_FOLDER}/${runbook.id}.md (${runbook.title}).`;
    }
  }

  /** The API as a whole (requests, errors, latency, with the 5xx and p99 alarms), then route by route. */
  private monitorApi(
    props: ServiceMonitoringProps,
    metrics: ReturnType<MonitoringFacade['createMetricFactory']>,
  ) {
    const { api, stageName } = props;
    this.facade.monitorApiGateway({
      api,
      apiStage: stageName,
      humanReadableName: 'API (all routes)',
      alarmFriendlyName: 'Api',
      latencyTypesToRender: [LatencyType.P50, LatencyType.P90, LatencyType.P99],
      addLatencyP99Alarm: {
        Critical: {
          maxLatency: alarmThresholds.apiP99Latency.latency,
          evaluationPeriods: alarmThresholds.apiP99Latency.periods,
          datapointsToAlarm: alarmThresholds.apiP99Latency.periods,
        },
      },
    });

    // API Gateway's 4XXError and 5XXError averages are the share of requests that failed.
    const dimensions = { ApiName: api.restApiName, Stage: stageName };
    const share = (metricName: string, label: string) =>
      metrics.createMetric(
        metricName,
        MetricStatistic.AVERAGE,
        label,
        dimensions,
        undefined,
        'AWS/ApiGateway',
      );
    const { share: max5xx, periods } = alarmThresholds.api5xxShare;
    this.facade.monitorCustom({
      humanReadableName: 'API error share',
      alarmFriendlyName: 'ApiErrorShare',
      metricGroups: [
        {
          title: 'Share of requests answered 4xx and 5xx',
          metrics: [
            share('4XXError', '4xx share'),
            {
              metric: share('5XXError', '5xx share'),
              alarmFriendlyName: '5xxShare',
              addAlarm: {
                Critical: {
                  threshold: max5xx,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  evaluationPeriods: periods,
                  datapointsToAlarm: periods,
                },
              },
            },
          ],
        },
      ],
    });

    this.facade.addMediumHeader('Routes: requests, p50/p90/p99 latency, 4xx and 5xx');
    for (const route of props.routes) {
      this.facade.monitorApiGateway({
        api,
        apiStage: stageName,
        apiMethod: route.method,
        apiResource: route.path,
        humanReadableName: `${route.method} ${route.path} (${route.interaction})`,
        alarmFriendlyName: `Route-${route.method}-${route.path}`,
        latencyTypesToRender: [LatencyType.P50, LatencyType.P90, LatencyType.P99],
        addToSummaryDashboard: false,
      });
    }
  }

  /**
   * The service's own metrics (`shared/observability/service-metrics.ts`). Graphs search across every function
   * that emits them; alarms read them from the functions that can, as alarms cannot search.
   */
  private monitorServiceMetrics(
    props: ServiceMonitoringProps,
    metrics: ReturnType<MonitoringFacade['createMetricFactory']>,
  ) {
    const search = (metricName: string, extraDimensions: string[] = []) => ({
      searchQuery: `MetricName="${metricName}"`,
      dimensionsMap: Object.fromEntries(
        ['service', ...extraDimensions].map((d) => [d, undefined as unknown as string]),
      ),
      statistic: MetricStatistic.SUM,
      namespace: METRICS_NAMESPACE,
      label: metricName,
    });
    const apiFunctions = [...new Set(props.routes.filter((r) => r.auth === 'bearer').map((r) => r.function))];
    const sumOver = (metricName: string, services: readonly string[], period: Duration) => {
      const using: Record<string, IMetric> = Object.fromEntries(
        services.map((service, i) => [
          // Ids must be unique within a graph, which shows several of these sums.
          `${metricName.toLowerCase()}${i}`,
          metrics.createMetric(
            metricName,
            MetricStatistic.SUM,
            service,
            { service },
            undefined,
            undefined,
            period,
          ),
        ]),
      );
      return metrics.createMetricMath(
        `SUM([${Object.keys(using).join(',')}])`,
        using,
        metricName,
        undefined,
        period,
      );
    };
    const countAlarm = (
      metric: MetricWithAlarmSupport,
      alarmFriendlyName: string,
      threshold: number,
    ): CustomMetricGroup['metrics'][number] => ({
      metric,
      alarmFriendlyName,
      addAlarm: {
        Critical: {
          threshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
        },
      },
    });

    this.facade.monitorCustom({
      humanReadableName: 'Service metrics (Powertools EMF)',
      alarmFriendlyName: 'Service',
      metricGroups: [
        {
          title: 'FHIR responses by interaction and outcome',
          metrics: [search(serviceMetricNames.responses, ['interaction', 'outcome'])],
        },
        {
          title: 'Access denied and break-glass (per hour)',
          metrics: [
            sumOver(serviceMetricNames.accessDenied, apiFunctions, Duration.hours(1)),
            countAlarm(
              sumOver(serviceMetricNames.breakGlass, apiFunctions, Duration.hours(1)),
              'BreakGlassSpike',
              props.breakGlassAlarmPerHour,
            ),
          ],
        },
        {
          // A burst of claimed relationships is how an organisation would trawl records: alarmed like break-glass.
          title: 'Relationships started (per hour)',
          metrics: [
            countAlarm(
              sumOver(serviceMetricNames.relationshipStarted, apiFunctions, Duration.hours(1)),
              'RelationshipStartedSpike',
              props.relationshipStartedAlarmPerHour,
            ),
          ],
        },
        {
          title: 'Relationships started by organisation',
          metrics: [
            {
              ...search(serviceMetricNames.relationshipStartedByOrganisation, ['organisation']),
              period: Duration.hours(1),
            },
          ],
        },
        {
          title: 'Events published and publish failures',
          metrics: [
            search(serviceMetricNames.eventsPublished),
            ...props.streamConsumers.map((service) =>
              countAlarm(
                metrics.createMetric(serviceMetricNames.eventPublishFailures, MetricStatistic.SUM, service, {
                  service,
                }),
                `PublishFailures-${service}`,
                alarmThresholds.failedInvocations,
              ),
            ),
          ],
        },
        {
          title: 'Subscription deliveries',
          metrics: [
            search(serviceMetricNames.deliverySucceeded),
            search(serviceMetricNames.deliveryFailed),
            search(serviceMetricNames.deliveryDeadLettered),
          ],
        },
        {
          // A supplier storing safeguarding Flags with codes off the list: no alert is raised for them.
          title: 'Safeguarding-looking Flags with a code not on the list',
          metrics: [search(serviceMetricNames.safeguardingCodeNotListed)],
        },
      ],
    });
  }

  /** Failed invocations of every rule on the bus, searched for the graph and alarmed on rule by rule. */
  private monitorEventBridge(
    props: ServiceMonitoringProps,
    metrics: ReturnType<MonitoringFacade['createMetricFactory']>,
  ) {
    const ruleMetric = (metricName: string, ruleName: string) =>
      metrics.createMetric(
        metricName,
        MetricStatistic.SUM,
        `${metricName} ${ruleName}`,
        { EventBusName: props.eventBusName, RuleName: ruleName },
        undefined,
        'AWS/Events',
      );
    this.facade.monitorCustom({
      humanReadableName: 'EventBridge',
      alarmFriendlyName: 'EventBridge',
      metricGroups: [
        {
          title: 'Failed invocations (every rule on the bus)',
          metrics: [
            {
              searchQuery: 'MetricName="FailedInvocations"',
              dimensionsMap: { EventBusName: props.eventBusName, RuleName: undefined as unknown as string },
              statistic: MetricStatistic.SUM,
              namespace: 'AWS/Events',
              label: 'FailedInvocations',
            },
            ...Object.entries(props.eventRules).map(([name, rule]) => ({
              metric: ruleMetric('FailedInvocations', rule.ruleName),
              alarmFriendlyName: `FailedInvocations-${name}`,
              addAlarm: {
                Critical: {
                  threshold: alarmThresholds.failedInvocations,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                },
              },
            })),
          ],
        },
      ],
    });
  }
}
