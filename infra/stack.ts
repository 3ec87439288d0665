import {
  App,
  type AppProps,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  Tags,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { eventRules, streamConsumers } from '#shared/service/events';
import { functions } from '#shared/service/functions';
import { gatewayResponses } from '#shared/service/gateway-responses';
import { queues } from '#shared/service/queues';
import { FHIR_BASE_PATH, routes } from '#shared/service/routes';
import { exportWorkflow } from '#shared/service/workflows';
import { clientRegistry } from './config/client-registry.ts';
import { icbConfig, selectIcb } from './config/icbs.ts';
import type { IcbConfig } from './config/types.ts';
import { AccessLogsBucket } from './constructs/access-logs-bucket.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { ClientUsagePlans } from './constructs/client-usage-plans.ts';
import { DocumentsBucket } from './constructs/documents-bucket.ts';
import { EncryptionKeys } from './constructs/encryption-keys.ts';
import { EventRules } from './constructs/event-rules.ts';
import { ExportWorkflow } from './constructs/export-workflow.ts';
import { GeneratedKey } from './constructs/generated-key.ts';
import { IdempotencyTable } from './constructs/idempotency-table.ts';
import { MutualTlsDomain } from './constructs/mutual-tls-domain.ts';
import { OrganisationRegister } from './constructs/organisation-register.ts';
import { RecordTable } from './constructs/record-table.ts';
import { API_STAGE_NAME, ServiceApi } from './constructs/service-api.ts';
import { ServiceEventBus } from './constructs/service-event-bus.ts';
import { ServiceFunctions } from './constructs/service-functions.ts';
import { ServiceMonitoring } from './constructs/service-monitoring.ts';
import { StreamConsumers } from './constructs/stream-consumers.ts';
import { TokenSigningKey } from './constructs/token-signing-key.ts';
import { WebAcl } from './constructs/web-acl.ts';
import { WorkQueues } from './constructs/work-queues.ts';
import { applyNagSuppressions } from './nag-suppressions.ts';

export interface SharedCareRecordStackProps extends StackProps {
  config: IcbConfig;
}

/**
 * One ICB's shared care record: the REST API and its functions, the record table, the documents bucket,
 * the event bus with its rules and the table's stream consumers, and the keys that encrypt them, composed
 * from the route, function, event-rule and stream-consumer tables; around the API the WAF, the suppliers'
 * usage plans and the optional mutual-TLS domain; and the dashboards and alarms that watch it all.
 */
export class SharedCareRecordStack extends Stack {
  readonly keys: EncryptionKeys;
  readonly tokenSigningKey: TokenSigningKey;
  readonly recordTable: RecordTable;
  readonly idempotencyTable: IdempotencyTable;
  readonly cursorSecret: GeneratedKey;
  readonly pseudonymKey: GeneratedKey;
  readonly accessLogsBucket: AccessLogsBucket;
  readonly documentsBucket: DocumentsBucket;
  readonly eventBus: ServiceEventBus;
  readonly functions: ServiceFunctions;
  readonly exportWorkflow: ExportWorkflow;
  readonly eventRules: EventRules;
  readonly streamConsumers: StreamConsumers;
  readonly workQueues: WorkQueues;
  readonly api: ServiceApi;
  readonly usagePlans: ClientUsagePlans;
  readonly webAcl?: WebAcl;
  readonly domain?: MutualTlsDomain;
  readonly organisations: OrganisationRegister;
  readonly alarmTopic: AlarmTopic;
  readonly monitoring: ServiceMonitoring;

  constructor(scope: Construct, id: string, props: SharedCareRecordStackProps) {
    super(scope, id, props);
    const { config } = props;
    const deployment = `shared-care-record-${config.name}-${config.stage}`;

    this.keys = new EncryptionKeys(this, 'Keys', { aliasPrefix: `alias/${deployment}` });
    this.tokenSigningKey = new TokenSigningKey(this, 'TokenSigningKey', {
      alias: `alias/${deployment}/token-signing`,
    });
    this.recordTable = new RecordTable(this, 'Record', { encryptionKey: this.keys.data });
    this.idempotencyTable = new IdempotencyTable(this, 'Idempotency', { encryptionKey: this.keys.data });
    this.cursorSecret = new GeneratedKey(this, 'CursorSecret', {
      encryptionKey: this.keys.data,
      description: 'Shared care record: HMAC key that signs search paging cursors',
    });
    this.pseudonymKey = new GeneratedKey(this, 'PseudonymKey', {
      encryptionKey: this.keys.data,
      description: 'Shared care record: HMAC key of the pseudonyms in bulk exports (stable across exports)',
      retain: true,
    });
    this.accessLogsBucket = new AccessLogsBucket(this, 'AccessLogs', {
      retentionDays: config.auditRetentionDays,
    });
    this.documentsBucket = new DocumentsBucket(this, 'Documents', {
      encryptionKey: this.keys.data,
      accessLogsBucket: this.accessLogsBucket.bucket,
      // The Records Management Code's period, as for the audit trail around the record.
      noncurrentRetentionDays: config.auditRetentionDays,
      exportFileRetentionDays: config.export.fileRetentionDays,
    });
    this.eventBus = new ServiceEventBus(this, 'Events', {
      eventBusName: deployment,
      encryptionKey: this.keys.data,
      archiveRetentionDays: config.auditRetentionDays,
    });

    this.functions = new ServiceFunctions(this, 'Functions', {
      functions,
      eventRules,
      table: this.recordTable.table,
      tokenSigningKey: this.tokenSigningKey,
      bucket: this.documentsBucket.bucket,
      bus: this.eventBus.bus,
      idempotencyTable: this.idempotencyTable.table,
      cursorSecret: this.cursorSecret.secret,
      pseudonymKey: this.pseudonymKey.secret,
      dataKey: this.keys.data,
      logsKey: this.keys.logs,
      logRetentionDays: config.logRetentionDays,
      environment: {
        // Left unset, the functions use the service's default list (shared/events/safeguarding-codes.ts).
        ...(config.safeguardingCodes.length > 0
          ? { SAFEGUARDING_CODES: config.safeguardingCodes.join(',') }
          : {}),
        RELATIONSHIP_GRACE_DAYS: String(config.relationshipGraceDays),
        // Social care is whoever the ICB's social-care clients act for: they get admission and discharge notices.
        SOCIAL_CARE_ODS_CODES: [
          ...new Set(
            config.supplierClients.filter((c) => c.role === 'social-care').flatMap((c) => c.organisations),
          ),
        ].join(','),
        ...(config.viewerFrameAncestors?.length
          ? { VIEWER_FRAME_ANCESTORS: config.viewerFrameAncestors.join(' ') }
          : {}),
      },
      functionEnvironment: {
        // The purposes an identified export may name (CONTRACT §8), and how long its files are kept (a job
        // answered after its files expired would hand out links to nothing).
        'bulk-export': {
          EXPORT_IDENTIFIED_PURPOSES: JSON.stringify(config.export.identifiedPurposes),
          EXPORT_FILE_RETENTION_DAYS: String(config.export.fileRetentionDays),
        },
      },
    });
    const { lambdas } = this.functions;

    this.exportWorkflow = new ExportWorkflow(this, 'ExportWorkflow', {
      workflow: exportWorkflow,
      worker: lambdas[exportWorkflow.worker],
      workerTimeout: Duration.seconds(functions[exportWorkflow.worker].timeoutSeconds),
      logRetentionDays: config.logRetentionDays,
      logsKey: this.keys.logs,
      tracing: true,
    });
    this.functions.grantExportWorkflow(this.exportWorkflow.stateMachine, functions);

    this.eventRules = new EventRules(this, 'EventRules', {
      rules: eventRules,
      bus: this.eventBus.bus,
      eventBusName: deployment,
      functions: lambdas,
      encryptionKey: this.keys.data,
    });

    this.streamConsumers = new StreamConsumers(this, 'StreamConsumers', {
      consumers: streamConsumers,
      table: this.recordTable.table,
      functions: lambdas,
      encryptionKey: this.keys.data,
    });

    this.workQueues = new WorkQueues(this, 'WorkQueues', {
      queues,
      functions: lambdas,
      encryptionKey: this.keys.data,
    });

    this.api = new ServiceApi(this, 'Api', {
      restApiName: deployment,
      routes,
      gatewayResponses,
      functions: lambdas,
      authorizer: lambdas.authorizer,
      accessLogRetentionDays: config.auditRetentionDays,
      logsKey: this.keys.logs,
      usagePlans: true,
      disableExecuteApiEndpoint: config.customDomain !== undefined,
    });
    const { api } = this.api;
    this.usagePlans = new ClientUsagePlans(this, 'UsagePlans', { api, clients: config.supplierClients });
    if (config.waf.enabled) {
      this.webAcl = new WebAcl(this, 'Waf', {
        name: deployment,
        stageArn: api.deploymentStage.stageArn,
        rateLimitPer5Minutes: config.waf.rateLimitPer5Minutes,
        logRetentionDays: config.logRetentionDays,
        logsKey: this.keys.logs,
      });
    }
    if (config.customDomain) {
      this.domain = new MutualTlsDomain(this, 'Domain', { api, config: config.customDomain });
    }

    this.organisations = new OrganisationRegister(this, 'OrganisationRegister', {
      handler: lambdas['organisation-register'],
      registry: { organisations: config.organisations, supplierSystems: clientRegistry(config) },
    });

    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      topicName: `${deployment}-alarms`,
      email: config.alarmEmail,
      encryptionKey: this.keys.logs,
    });
    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      name: deployment,
      api,
      stageName: API_STAGE_NAME,
      routes,
      functions: lambdas,
      streamConsumers: streamConsumers.map((c) => c.target),
      tables: { record: this.recordTable.table, idempotency: this.idempotencyTable.table },
      deadLetterQueues: {
        ...mapValues(this.functions.deadLetterQueues, (q) => q.queue, 'function-'),
        ...mapValues(this.eventRules.deadLetterQueues, (q) => q.queue, 'rule-'),
        ...mapValues(this.streamConsumers.onFailureQueues, (q) => q.queue, 'stream-'),
        ...mapValues(this.workQueues.deadLetterQueues, (q) => q.queue, 'queue-'),
      },
      workQueues: this.workQueues.queues,
      eventBusName: deployment,
      eventRules: this.eventRules.rules,
      ...(this.webAcl ? { webAcl: this.webAcl.acl } : {}),
      alarmTopic: this.alarmTopic.topic,
      breakGlassAlarmPerHour: config.breakGlassAlarmPerHour,
      relationshipStartedAlarmPerHour: config.relationshipStartedAlarmPerHour,
      accessLogs: this.api.accessLogs,
      deliveryLogs: lambdas['notification-delivery'].logGroup,
      exportWorkflow: this.exportWorkflow.stateMachine,
    });

    new CfnOutput(this, 'FhirBaseUrl', {
      description: 'The FHIR base suppliers call',
      value: config.customDomain
        ? `https://${config.customDomain.domainName}${FHIR_BASE_PATH}`
        : `${api.url.replace(/\/$/, '')}${FHIR_BASE_PATH}`,
    });
    new CfnOutput(this, 'Dashboard', {
      description: 'The CloudWatch dashboard',
      value: deployment,
    });

    Tags.of(this).add('service', 'shared-care-record');
    Tags.of(this).add('icb', config.name);
    Tags.of(this).add('stage', config.stage);
  }
}

/** A record's values mapped, with their keys prefixed. */
function mapValues<T, U>(record: Partial<Record<string, T>>, f: (value: T) => U, prefix: string) {
  return Object.fromEntries(
    Object.entries(record).flatMap(([key, value]) =>
      value === undefined ? [] : [[`${prefix}${key}`, f(value)]],
    ),
  ) as Record<string, U>;
}

/** The CloudFormation stack name of an ICB's deployment. */
export const stackName = (config: IcbConfig) => `SharedCareRecord-${config.name}-${config.stage}`;

/**
 * Builds the CDK app for one ICB, with cdk-nag's AWS Solutions, HIPAA Security and Serverless packs checking
 * every resource at synth. The ICB is `config` if given, else the one named by the `icb` context value
 * (`-c icb=<name>`), which may be left out only when there is one ICB. `infra/app.ts` synthesizes it; the infra tests inspect it in process.
 *
 * @example const { app, stack } = buildApp({ context: { icb: 'example-icb' } });
 */
export function buildApp(
  appProps: AppProps = {},
  config?: IcbConfig,
): { app: App; stack: SharedCareRecordStack } {
  const app = new App(appProps);
  const icb = config ?? icbConfig(selectIcb(app.node.tryGetContext('icb')));
  const stack = new SharedCareRecordStack(app, stackName(icb), {
    config: icb,
    env: { region: icb.region, ...(icb.account ? { account: icb.account } : {}) },
    description: `NHS shared care record (FHIR R4) for ${icb.name}, stage ${icb.stage}`,
  });
  applyNagSuppressions(stack);
  Validations.of(app).addPlugins(...nagPacks());
  return { app, stack };
}

/** The cdk-nag rule packs the app is held to. */
export const nagPacks = () => [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new ServerlessChecks()];
