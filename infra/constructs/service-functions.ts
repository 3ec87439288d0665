import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EventRuleDefinition } from '#shared/service/events';
import type { FunctionDefinition, FunctionName } from '#shared/service/functions';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ServiceFunction } from './service-function.ts';
import type { TokenSigningKey } from './token-signing-key.ts';

export interface ServiceFunctionsProps {
  /** The function table (`shared/service/functions.ts`). */
  functions: Record<FunctionName, FunctionDefinition>;
  /** The event-rule table: a function a rule targets is invoked asynchronously and gets a dead-letter queue. */
  eventRules: readonly EventRuleDefinition[];
  table: dynamodb.ITable;
  tokenSigningKey: TokenSigningKey;
  bucket: s3.IBucket;
  bus: events.IEventBus;
  idempotencyTable: dynamodb.ITable;
  cursorSecret: secretsmanager.ISecret;
  /** The HMAC key of bulk exports' pseudonyms (`pseudonymKey: 'read'`). */
  pseudonymKey: secretsmanager.ISecret;
  dataKey: kms.IKey;
  logsKey: kms.IKey;
  logRetentionDays: number;
  /** Environment every function gets, from the ICB config. */
  environment: Record<string, string>;
  /** Environment only some functions get, from the ICB config (the identified-export purposes: bulk-export). */
  functionEnvironment?: Partial<Record<FunctionName, Record<string, string>>>;
}

/**
 * Every function of the function table, each granted exactly what its `grants` say and told, through its
 * environment, the names of the things it was granted.
 */
export class ServiceFunctions extends Construct {
  readonly byName: Record<FunctionName, ServiceFunction>;
  /** The Lambda functions themselves, for routes, rules and event sources to invoke. */
  readonly lambdas: Record<FunctionName, NodejsFunction>;
  /** The dead-letter queues of the asynchronously invoked functions. */
  readonly deadLetterQueues: Partial<Record<FunctionName, DeadLetterQueue>> = {};

  constructor(scope: Construct, id: string, props: ServiceFunctionsProps) {
    super(scope, id);
    const asynchronous = new Set(props.eventRules.map((rule) => rule.target));
    const build = (name: FunctionName, definition: FunctionDefinition): ServiceFunction => {
      if (asynchronous.has(name)) {
        this.deadLetterQueues[name] = new DeadLetterQueue(this, `${name}DeadLetters`, {
          encryptionKey: props.dataKey,
        });
      }
      const deadLetterQueue = this.deadLetterQueues[name]?.queue;
      const fn = new ServiceFunction(this, name, {
        name,
        definition,
        environment: {
          ...props.environment,
          ...props.functionEnvironment?.[name],
          ...environmentFor(definition, props),
        },
        logRetentionDays: props.logRetentionDays,
        logsKey: props.logsKey,
        ...(deadLetterQueue ? { deadLetterQueue } : {}),
      });
      grant(fn, definition, props);
      // Lambda's own grant names the queue but not its key; sending to an encrypted queue needs both.
      this.deadLetterQueues[name]?.queue.grantSendMessages(fn.function);
      return fn;
    };
    this.byName = Object.fromEntries(
      (Object.entries(props.functions) as [FunctionName, FunctionDefinition][]).map(([name, definition]) => [
        name,
        build(name, definition),
      ]),
    ) as Record<FunctionName, ServiceFunction>;
    this.lambdas = Object.fromEntries(
      Object.entries(this.byName).map(([name, fn]) => [name, fn.function]),
    ) as Record<FunctionName, NodejsFunction>;
  }

  /**
   * Lets every function whose grants say `exportWorkflow: 'start'` start executions of the export state machine,
   * and no other, and tells it which (`EXPORT_STATE_MACHINE_ARN`). A step of its own: the state machine is built
   * after the functions, since it invokes the export worker.
   */
  grantExportWorkflow(
    stateMachine: sfn.IStateMachine,
    definitions: Record<FunctionName, FunctionDefinition>,
  ): void {
    for (const [name, definition] of Object.entries(definitions) as [FunctionName, FunctionDefinition][]) {
      if (definition.grants.exportWorkflow !== 'start') continue;
      const fn = this.lambdas[name];
      stateMachine.grantStartExecution(fn);
      fn.addEnvironment('EXPORT_STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    }
  }
}

function environmentFor(
  definition: FunctionDefinition,
  props: ServiceFunctionsProps,
): Record<string, string> {
  const { grants } = definition;
  return {
    ...(grants.table ? { TABLE_NAME: props.table.tableName } : {}),
    ...(grants.tokenSigningKey ? { TOKEN_SIGNING_KEY_ID: props.tokenSigningKey.key.keyId } : {}),
    ...(grants.bucket ? { BUCKET_NAME: props.bucket.bucketName } : {}),
    ...(grants.bus ? { EVENT_BUS_NAME: props.bus.eventBusName } : {}),
    ...(grants.idempotency ? { IDEMPOTENCY_TABLE_NAME: props.idempotencyTable.tableName } : {}),
    ...(grants.cursorSecret ? { CURSOR_SECRET_ARN: props.cursorSecret.secretArn } : {}),
    ...(grants.pseudonymKey ? { PSEUDONYM_KEY_ARN: props.pseudonymKey.secretArn } : {}),
  };
}

function grant(fn: ServiceFunction, definition: FunctionDefinition, props: ServiceFunctionsProps): void {
  const { grants } = definition;
  const grantee = fn.function;
  if (grants.table === 'read') props.table.grantReadData(grantee);
  if (grants.table === 'readWrite') props.table.grantReadWriteData(grantee);
  if (grants.tokenSigningKey === 'sign') props.tokenSigningKey.grantSign(grantee);
  if (grants.tokenSigningKey === 'verify') props.tokenSigningKey.grantVerify(grantee);
  if (grants.bucket === 'read') props.bucket.grantRead(grantee);
  if (grants.bucket === 'readWrite') props.bucket.grantReadWrite(grantee);
  if (grants.bus === 'put') props.bus.grantPutEventsTo(grantee);
  if (grants.idempotency === 'readWrite') props.idempotencyTable.grantReadWriteData(grantee);
  if (grants.cursorSecret === 'read') props.cursorSecret.grantRead(grantee);
  if (grants.pseudonymKey === 'read') props.pseudonymKey.grantRead(grantee);
}
