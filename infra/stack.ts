import { App, type AppProps, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DEFAULT_ICB, icbConfig } from './config/icbs.ts';
import type { IcbConfig } from './config/types.ts';
import { AccessLogsBucket } from './constructs/access-logs-bucket.ts';
import { DocumentsBucket } from './constructs/documents-bucket.ts';
import { EncryptionKeys } from './constructs/encryption-keys.ts';
import { EventRules } from './constructs/event-rules.ts';
import { RecordTable } from './constructs/record-table.ts';
import { ServiceApi } from './constructs/service-api.ts';
import { ServiceEventBus } from './constructs/service-event-bus.ts';
import { ServiceFunctions } from './constructs/service-functions.ts';
import { StreamConsumers } from './constructs/stream-consumers.ts';
import { TokenSigningKey } from './constructs/token-signing-key.ts';
import { eventRules, streamConsumers } from './events.ts';
import { functions } from './functions.ts';
import { gatewayResponses } from './gateway-responses.ts';
import { applyNagSuppressions } from './nag-suppressions.ts';
import { routes } from './routes.ts';

export interface SharedCareRecordStackProps extends StackProps {
  config: IcbConfig;
}

/**
 * One ICB's shared care record: the REST API and its functions, the record table, the documents bucket,
 * the event bus with its rules and the table's stream consumers, and the keys that encrypt them, composed
 * from the route, function, event-rule and stream-consumer tables.
 */
export class SharedCareRecordStack extends Stack {
  readonly keys: EncryptionKeys;
  readonly tokenSigningKey: TokenSigningKey;
  readonly recordTable: RecordTable;
  readonly accessLogsBucket: AccessLogsBucket;
  readonly documentsBucket: DocumentsBucket;
  readonly eventBus: ServiceEventBus;
  readonly functions: ServiceFunctions;
  readonly eventRules: EventRules;
  readonly streamConsumers: StreamConsumers;
  readonly api: ServiceApi;

  constructor(scope: Construct, id: string, props: SharedCareRecordStackProps) {
    super(scope, id, props);
    const { config } = props;
    const deployment = `shared-care-record-${config.name}-${config.stage}`;

    this.keys = new EncryptionKeys(this, 'Keys', { aliasPrefix: `alias/${deployment}` });
    this.tokenSigningKey = new TokenSigningKey(this, 'TokenSigningKey', {
      alias: `alias/${deployment}/token-signing`,
    });
    this.recordTable = new RecordTable(this, 'Record', { encryptionKey: this.keys.data });
    this.accessLogsBucket = new AccessLogsBucket(this, 'AccessLogs', {
      retentionDays: config.auditRetentionDays,
    });
    this.documentsBucket = new DocumentsBucket(this, 'Documents', {
      encryptionKey: this.keys.data,
      accessLogsBucket: this.accessLogsBucket.bucket,
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
      dataKey: this.keys.data,
      logsKey: this.keys.logs,
      logRetentionDays: config.logRetentionDays,
      // Left unset, the functions use the service's default list (shared/events/safeguarding-codes.ts).
      environment:
        config.safeguardingCodes.length > 0 ? { SAFEGUARDING_CODES: config.safeguardingCodes.join(',') } : {},
    });
    const { lambdas } = this.functions;

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

    this.api = new ServiceApi(this, 'Api', {
      restApiName: deployment,
      routes,
      gatewayResponses,
      functions: lambdas,
      authorizer: lambdas.authorizer,
      accessLogRetentionDays: config.auditRetentionDays,
      logsKey: this.keys.logs,
    });

    Tags.of(this).add('service', 'shared-care-record');
    Tags.of(this).add('icb', config.name);
    Tags.of(this).add('stage', config.stage);
  }
}

/** The CloudFormation stack name of an ICB's deployment. */
export const stackName = (config: IcbConfig) => `SharedCareRecord-${config.name}-${config.stage}`;

/**
 * Builds the CDK app for one ICB, with cdk-nag's AWS Solutions, HIPAA Security and Serverless packs checking
 * every resource at synth. The ICB is `config` if given, else the one named by the `icb` context value
 * (`-c icb=<name>`), else the default. `infra/app.ts` synthesizes it; the infra tests inspect it in process.
 *
 * @example const { app, stack } = buildApp({ context: { icb: 'example-icb' } });
 */
export function buildApp(
  appProps: AppProps = {},
  config?: IcbConfig,
): { app: App; stack: SharedCareRecordStack } {
  const app = new App(appProps);
  const icb = config ?? icbConfig(String(app.node.tryGetContext('icb') ?? DEFAULT_ICB));
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
