import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { eventRules, streamConsumers } from '#shared/service/events';
import { type FunctionDefinition, type FunctionName, functions } from '#shared/service/functions';
import { queues } from '#shared/service/queues';
import { routes } from '#shared/service/routes';
import { exportWorkflow } from '#shared/service/workflows';
import type { AccessLogsBucket } from './constructs/access-logs-bucket.ts';
import type { AlarmTopic } from './constructs/alarm-topic.ts';
import type { DocumentsBucket } from './constructs/documents-bucket.ts';
import type { EventRules } from './constructs/event-rules.ts';
import type { ExportWorkflow } from './constructs/export-workflow.ts';
import type { GeneratedKey } from './constructs/generated-key.ts';
import type { IdempotencyTable } from './constructs/idempotency-table.ts';
import type { RecordTable } from './constructs/record-table.ts';
import type { ServiceApi } from './constructs/service-api.ts';
import type { ServiceFunctions } from './constructs/service-functions.ts';
import type { StreamConsumers } from './constructs/stream-consumers.ts';
import type { WebAcl } from './constructs/web-acl.ts';
import type { WorkQueues } from './constructs/work-queues.ts';

/**
 * The parts of the service stack whose findings are acknowledged here. The stack passes itself; naming the
 * parts, not the stack class, keeps this file from importing the stack that imports it.
 */
export interface NaggedStack extends Stack {
  readonly recordTable: RecordTable;
  readonly idempotencyTable: IdempotencyTable;
  readonly cursorSecret: GeneratedKey;
  readonly pseudonymKey: GeneratedKey;
  readonly accessLogsBucket: AccessLogsBucket;
  readonly documentsBucket: DocumentsBucket;
  readonly functions: ServiceFunctions;
  readonly exportWorkflow: ExportWorkflow;
  readonly eventRules: EventRules;
  readonly streamConsumers: StreamConsumers;
  readonly workQueues: WorkQueues;
  readonly api: ServiceApi;
  readonly webAcl?: WebAcl;
  readonly alarmTopic: AlarmTopic;
}

/**
 * Every cdk-nag finding the stack accepts, in one place, each with the reason it is acceptable here.
 * Acknowledgements name single findings (`AwsSolutions-IAM5[Resource::...]`), never a whole rule, so a new
 * wildcard fails the synth until someone writes down why it is fine.
 */
export function applyNagSuppressions(stack: NaggedStack): void {
  suppressFunctionFindings(stack);
  suppressApiFindings(stack);
  suppressStorageFindings(stack);
  suppressDeadLetterQueueFindings(stack);
  suppressOperationsFindings(stack);
  suppressExportFindings(stack);
}

function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

/** `<LogicalId.Arn>`, as cdk-nag writes a resource's ARN in IAM5 findings. */
function arnOf(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnElement;
  return `<${Stack.of(resource).getLogicalId(cfn)}.Arn>`;
}

function suppressFunctionFindings(stack: NaggedStack): void {
  const ruleTargets = new Set<FunctionName>(eventRules.map((rule) => rule.target));
  const streamTargets = new Set<FunctionName>(streamConsumers.map((consumer) => consumer.target));
  const queueConsumers = new Set<FunctionName>(queues.map((queue) => queue.consumer));
  const tableArn = arnOf(stack.recordTable.table);
  const bucketArn = arnOf(stack.documentsBucket.bucket);

  for (const [name, fn] of Object.entries(stack.functions.byName) as [FunctionName, IConstruct][]) {
    const definition: FunctionDefinition = functions[name];
    acknowledge(fn, {
      'HIPAA.Security-LambdaInsideVPC':
        'Serverless by design: the functions call only AWS APIs (DynamoDB, KMS, S3, EventBridge) over TLS, ' +
        'authorised by IAM, and expose no network listener; a VPC would add NAT or endpoints without narrowing access.',
      'HIPAA.Security-LambdaConcurrency':
        'Reserved concurrency would carve capacity out of the account pool and cap a clinical API at a guess; ' +
        'load is limited at the API Gateway stage (rate and burst throttling) instead.',
      'HIPAA.Security-IAMNoInlinePolicy':
        "The policy is the CDK-generated one attached only to this function's own role, holding exactly the " +
        'grants in shared/service/functions.ts; it is created and deleted with the role.',
      'AwsSolutions-IAM5[Resource::*]':
        'xray:PutTraceSegments and xray:PutTelemetryRecords (tracing), and for stream consumers ' +
        'dynamodb:ListStreams, support no resource-level permissions.',
    });
    if (streamTargets.has(name)) {
      const stream =
        "Invoked by the table stream's event source mapping, which sends batches that never succeed to its own " +
        'encrypted on-failure queue; a function dead-letter queue only applies to asynchronous invocations.';
      acknowledge(fn, { 'HIPAA.Security-LambdaDLQ': stream, 'Serverless-LambdaDLQ': stream });
    } else if (queueConsumers.has(name)) {
      const queue =
        "Invoked by its SQS queue's event source mapping: messages that fail maxReceiveCount times move to the " +
        "queue's own encrypted dead-letter queue. SQS event sources take no on-failure destination, and a function " +
        'dead-letter queue only applies to asynchronous invocations.';
      acknowledge(fn, {
        'HIPAA.Security-LambdaDLQ': queue,
        'Serverless-LambdaDLQ': queue,
        'Serverless-LambdaEventSourceMappingDestination': queue,
        'HIPAA.Security-LambdaInsideVPC':
          "Delivers notifications to suppliers' own HTTPS endpoints on the internet, so a VPC would need a NAT " +
          'gateway for the same egress; the worker connects only to public addresses, checked on the address it ' +
          'connects to, so no private or metadata address is reachable through a Subscription.',
      });
    } else if (name === exportWorkflow.worker) {
      const workflow =
        "Invoked synchronously by the export state machine's tasks: Step Functions retries Lambda's transient " +
        'errors and catches every other failure into the fail step, which marks the job failed for the analyst; ' +
        'a dead-letter queue only receives failed asynchronous invocations.';
      acknowledge(fn, { 'HIPAA.Security-LambdaDLQ': workflow, 'Serverless-LambdaDLQ': workflow });
    } else if (name === 'organisation-register') {
      const customResource =
        'Invoked by CloudFormation as a custom resource: a failure fails the deployment (the function answers ' +
        'FAILED, or CloudFormation times out), where the operator deploying sees it; a dead-letter queue would keep ' +
        'an event that nothing replays.';
      acknowledge(fn, { 'HIPAA.Security-LambdaDLQ': customResource, 'Serverless-LambdaDLQ': customResource });
    } else if (!ruleTargets.has(name)) {
      const synchronous =
        'Invoked synchronously by API Gateway, so the caller receives any failure; a dead-letter queue only ' +
        'receives failed asynchronous invocations (event-rule targets get one).';
      acknowledge(fn, { 'HIPAA.Security-LambdaDLQ': synchronous, 'Serverless-LambdaDLQ': synchronous });
    }
    const { grants } = definition;
    if (grants.table || grants.bucket || ruleTargets.has(name) || streamTargets.has(name)) {
      const kms =
        "CDK's grant for the customer-managed data key, scoped to that one key's ARN: DynamoDB, S3 and SQS " +
        'need the GenerateDataKey and ReEncrypt variants to encrypt items, objects and failed messages.';
      acknowledge(fn, {
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': kms,
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': kms,
      });
    }
    if (grants.table) {
      acknowledge(fn, {
        [`AwsSolutions-IAM5[Resource::${tableArn}/index/*]`]:
          "The record table's own indexes (the byId GSI): queries by logical id go through them.",
      });
    }
    if (grants.bucket) {
      const s3 =
        "CDK's grant on the documents bucket only: object-level actions need the bucket's objects (`/*`) " +
        'and the action families (Get/List, Delete/Abort for versioned uploads) stay within that bucket.';
      acknowledge(fn, {
        [`AwsSolutions-IAM5[Resource::${bucketArn}/*]`]: s3,
        'AwsSolutions-IAM5[Action::s3:GetObject*]': s3,
        'AwsSolutions-IAM5[Action::s3:GetBucket*]': s3,
        'AwsSolutions-IAM5[Action::s3:List*]': s3,
        ...(grants.bucket === 'readWrite'
          ? { 'AwsSolutions-IAM5[Action::s3:DeleteObject*]': s3, 'AwsSolutions-IAM5[Action::s3:Abort*]': s3 }
          : {}),
      });
    }
  }
}

/** Why each public route (`auth: 'none'` in shared/service/routes.ts) is public, by its interaction. */
const publicRoutes: Record<string, string> = {
  token:
    "The OAuth 2.0 token endpoint is how a client gets a token: it authenticates the client's signed JWT " +
    'assertion (private_key_jwt) itself, checking signature, audience, expiry and replay.',
  'method-not-allowed':
    'Answers 405 with Allow: POST and nothing else (GET /oauth2/token), so a supplier sees the method is wrong ' +
    'rather than a 404; it reads no data and calls nothing.',
  jwks: 'The JSON Web Key Set publishes only public keys, so that anyone can verify the tokens the service signs.',
  capabilities:
    'FHIR requires GET [base]/metadata (the CapabilityStatement) to be readable without authentication; ' +
    'it describes the API and holds no patient data.',
  ...Object.fromEntries(
    ['start', 'record', 'break-glass', 'acknowledge-task', 'document'].map((interaction) => [
      interaction,
      "A point-of-care viewer page, opened in a person's browser: the viewer function checks its own session " +
        '(a single-use launch code from an authenticated supplier call, then an HttpOnly SameSite=Strict cookie ' +
        'with a 15-minute idle timeout), and every page is authorised and audited by the access rules.',
    ]),
  ),
  asset:
    "The point-of-care viewer's stylesheets (the NHS design system's CSS): public files with no patient data.",
};

function suppressApiFindings(stack: NaggedStack): void {
  const { api } = stack.api;
  acknowledge(api, {
    'AwsSolutions-APIG2':
      'FHIR resources are validated by the handlers against the R4 definitions and answered with an ' +
      'OperationOutcome; API Gateway models cannot express FHIR validation and would answer in their own format.',
    'HIPAA.Security-APIGWCacheEnabledAndEncrypted':
      "Responses must not be cached at the gateway: each read is checked against the caller's relationship and " +
      'consent and audited before data is returned, and a cached response would skip both.',
    'HIPAA.Security-APIGWSSLEnabled':
      'A backend client certificate authenticates API Gateway to HTTP backends; every integration here is a ' +
      'Lambda proxy integration, invoked through the Lambda API with IAM, so there is no HTTP backend to present it to.',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
      "AWS's documented managed policy for API Gateway's account-level CloudWatch Logs role, needed for execution logging.",
  });

  if (!stack.webAcl) {
    acknowledge(api, {
      'AwsSolutions-APIG3':
        "This ICB's config turns the WAF off (waf.enabled: false), for a deployment with no supplier traffic yet " +
        'or with a WAF managed outside this stack; the usage plans and stage throttling still limit callers.',
    });
  }

  for (const route of routes) {
    const method = stack.api.methods[`${route.method} ${route.path}`];
    if (method === undefined) continue;
    if (route.auth === 'none') {
      const reason = publicRoutes[route.interaction];
      if (reason === undefined) {
        throw new Error(
          `Route ${route.method} ${route.path} has auth 'none': say why in nag-suppressions.ts`,
        );
      }
      acknowledge(method, { 'AwsSolutions-APIG4': reason, 'AwsSolutions-COG4': reason });
    } else {
      acknowledge(method, {
        'AwsSolutions-COG4':
          "Supplier systems are machines, not Cognito users: the Lambda token authorizer verifies the service's " +
          'own KMS-signed access tokens, issued at /oauth2/token for a private_key_jwt client assertion (NHS pattern).',
      });
    }
  }
}

function suppressStorageFindings(stack: NaggedStack): void {
  const ukOnly =
    'Replication to another region would take patient data out of the UK (London is the only UK region); ' +
    'versioning and RemovalPolicy.RETAIN protect against deletion.';
  acknowledge(stack.documentsBucket.bucket, { 'HIPAA.Security-S3BucketReplicationEnabled': ukOnly });
  acknowledge(stack.accessLogsBucket.bucket, {
    'HIPAA.Security-S3BucketReplicationEnabled': ukOnly,
    'HIPAA.Security-S3DefaultEncryptionKMS':
      'S3 server access logging only delivers to buckets encrypted with S3-managed keys (SSE-S3).',
  });
  acknowledge(stack.recordTable.table, {
    'HIPAA.Security-DynamoDBInBackupPlan':
      'Point-in-time recovery gives 35 days of continuous restore, with deletion protection and RETAIN; a longer ' +
      "AWS Backup plan (retention, cross-account vault) is the ICB's records-management decision, for the ICB config.",
  });
}

function suppressDeadLetterQueueFindings(stack: NaggedStack): void {
  const endOfTheLine =
    'This queue is itself a dead-letter queue, the end of the line: an operator inspects and redrives its ' +
    'messages, so it has no redrive policy or dead-letter queue of its own.';
  for (const dlq of Object.values(stack.functions.deadLetterQueues)) {
    acknowledge(dlq, { 'Serverless-SQSRedrivePolicy': endOfTheLine });
  }
  const failureQueues = [
    ...Object.values(stack.eventRules.deadLetterQueues),
    ...Object.values(stack.streamConsumers.onFailureQueues),
    ...Object.values(stack.workQueues.deadLetterQueues),
  ];
  for (const dlq of failureQueues) {
    acknowledge(dlq, { 'AwsSolutions-SQS3': endOfTheLine, 'Serverless-SQSRedrivePolicy': endOfTheLine });
  }
}

function suppressOperationsFindings(stack: NaggedStack): void {
  const rotation =
    'The cursor key signs only search paging cursors, which expire within an hour; rotating it needs a rotation ' +
    'function and would break every cursor in flight, so it is replaced by redeploying a new secret if ever exposed.';
  acknowledge(stack.cursorSecret.secret, {
    'AwsSolutions-SMG4': rotation,
    'HIPAA.Security-SecretsManagerRotationEnabled': rotation,
  });
  acknowledge(stack.idempotencyTable.table, {
    'HIPAA.Security-DynamoDBInBackupPlan':
      'The idempotency table only remembers retried POSTs for 24 hours (TTL); the record itself is in the ' +
      'record table. Point-in-time recovery is on all the same.',
  });
  acknowledge(stack.alarmTopic.topic, {
    'Serverless-SNSRedrivePolicy':
      'The only subscription is the alarm e-mail; an undelivered alarm e-mail leaves the alarm in ALARM on the ' +
      'dashboard and console, which a dead-letter queue of e-mails would not improve on.',
  });
}

function suppressExportFindings(stack: NaggedStack): void {
  const rotation =
    'The pseudonym key must stay the same for pseudonyms to link one export to the next (issue 19: stable across ' +
    'exports so analysts can link); rotating it would re-identify no one but would break every linkage, so it is ' +
    'replaced only deliberately (by redeploying a new secret) if it is ever exposed, and then every earlier ' +
    'export is treated as under the old key.';
  acknowledge(stack.pseudonymKey.secret, {
    'AwsSolutions-SMG4': rotation,
    'HIPAA.Security-SecretsManagerRotationEnabled': rotation,
  });
  const { stateMachine } = stack.exportWorkflow;
  acknowledge(stateMachine, {
    [`AwsSolutions-IAM5[Resource::${arnOf(stack.functions.byName[exportWorkflow.worker].function)}:*]`]:
      "CDK's grant to invoke the export worker: the function's own ARN and its versions and aliases (`:*`), " +
      'so a published version could be invoked; no other function.',
    'AwsSolutions-IAM5[Resource::*]':
      'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs vended-log delivery ' +
      '(CreateLogDelivery, PutResourcePolicy, DescribeLogGroups and the rest) support no resource-level permissions.',
    'HIPAA.Security-IAMNoInlinePolicy':
      "The policy is the CDK-generated one attached only to the state machine's own role, holding exactly the " +
      'invoke of the export worker, tracing and log delivery; it is created and deleted with the role.',
  });
}
