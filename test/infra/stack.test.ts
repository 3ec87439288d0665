import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientRegistry } from '#infra/config/client-registry';
import type { IcbConfig } from '#infra/config/types';
import { API_STAGE_NAME } from '#infra/constructs/service-api';
import { nagPacks, type SharedCareRecordStack } from '#infra/stack';
import { DEFINITIONS_FOLDER, definitionsFolder } from '#shared/fhir/definitions/definitions-folder';
import { eventRules, streamConsumers } from '#shared/service/events';
import { type FunctionName, functions } from '#shared/service/functions';
import { gatewayResponses } from '#shared/service/gateway-responses';
import { routes } from '#shared/service/routes';
import { tableDesign } from '#shared/service/table-design';
import { type CfnResource, synthesizedIcb } from '../support/synthesized-icb.ts';

// The example ICB as `cdk synth` builds it, shared with the other infra files (test/support/synthesized-icb.ts).
let app: App;
let stack: SharedCareRecordStack;
let template: Template;
let resources: Record<string, CfnResource>;
let config: IcbConfig;

beforeAll(() => {
  ({ app, stack, template, resources, config } = synthesizedIcb('example-icb'));
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
const functionId = (name: FunctionName) => logicalIdOf(stack.functions.byName[name].function);

describe('functions', () => {
  it('builds one function per entry of the function table, and no others', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(Object.keys(functions).length);
  });

  it('runs every function on Node.js 24, arm64, with X-Ray tracing and source maps', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
      });
    }
  });

  it('takes memory, timeout and the environment its grants need from the function table', () => {
    for (const [name, definition] of Object.entries(functions) as [
      FunctionName,
      (typeof functions)[FunctionName],
    ][]) {
      const properties = resources[functionId(name)]?.Properties ?? {};
      const { Variables: variables } = properties.Environment as { Variables: Record<string, unknown> };
      expect(properties).toMatchObject({
        MemorySize: definition.memoryMb,
        Timeout: definition.timeoutSeconds,
      });
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe(name);
      const grants: Record<string, unknown> = definition.grants;
      expect('TABLE_NAME' in variables).toBe(grants.table !== undefined);
      expect('TOKEN_SIGNING_KEY_ID' in variables).toBe(grants.tokenSigningKey !== undefined);
      expect('BUCKET_NAME' in variables).toBe(grants.bucket !== undefined);
      expect('EVENT_BUS_NAME' in variables).toBe(grants.bus !== undefined);
    }
  });

  it("gives every function the ICB's own safeguarding codes (example-prod-icb lists five)", () => {
    const prod = synthesizedIcb('example-prod-icb');
    const fns = Object.values(prod.resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns).toHaveLength(Object.keys(functions).length);
    for (const fn of fns) {
      expect(fn.Properties).toMatchObject({
        Environment: {
          Variables: {
            SAFEGUARDING_CODES: '836881000000105,1064961000000107,878111000000109,342191000000101,225915006',
          },
        },
      });
    }
  });

  it('leaves the default safeguarding list to the functions when the ICB configures none (example-icb)', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const { Variables: variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(variables).not.toHaveProperty('SAFEGUARDING_CODES');
    }
  });

  it('gives each function its own log group', () => {
    const logGroups = ofType('AWS::Lambda::Function').map(
      ([, fn]) => (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
    );
    expect(new Set(logGroups).size).toBe(logGroups.length);
    for (const id of logGroups) expect(resources[id]?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('lets the token endpoint sign and the authorizer only verify, and only read the table (the registry)', () => {
    const policyOf = (name: FunctionName) => {
      const role = logicalIdOf(stack.functions.byName[name].role);
      const [, policy] =
        ofType('AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties.Roles).includes(role)) ?? [];
      return JSON.stringify(policy?.Properties.PolicyDocument);
    };
    expect(policyOf('oauth')).toContain('kms:Sign');
    expect(policyOf('oauth')).toContain('kms:GetPublicKey');
    // The authorizer verifies tokens itself (jose) with the public key it fetches once: KMS's Verify it never calls.
    expect(policyOf('authorizer')).toContain('kms:GetPublicKey');
    expect(policyOf('authorizer')).not.toContain('kms:Verify');
    expect(policyOf('authorizer')).not.toContain('kms:Sign');
    expect(policyOf('authorizer')).toContain('dynamodb:GetItem');
    expect(policyOf('authorizer')).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
  });

  it('bundles each handler into a minified ESM file that defines require', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const assetHash = String((fn.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
      const bundle = readFileSync(join(app.outdir, `asset.${assetHash}`, 'index.mjs'), 'utf8');
      expect(
        bundle.startsWith("import { createRequire } from 'module'; const require = createRequire("),
      ).toBe(true);
      expect(bundle).toContain('//# sourceMappingURL=index.mjs.map');
    }
  });

  it('puts the compiled FHIR definitions beside the bundles that read them, and only those', () => {
    const assetOf = (name: FunctionName) => {
      const code = resources[functionId(name)]?.Properties.Code as { S3Key: string };
      return join(app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    };
    const source = readFileSync(join(definitionsFolder(), 'Questionnaire.json'), 'utf8');

    expect(readFileSync(join(assetOf('fhir'), DEFINITIONS_FOLDER, 'Questionnaire.json'), 'utf8')).toBe(
      source,
    );
    expect(existsSync(join(assetOf('fhir'), DEFINITIONS_FOLDER, 'core.json'))).toBe(true);
    expect(existsSync(join(assetOf('authorizer'), DEFINITIONS_FOLDER))).toBe(false);
  });

  it("keeps the ICB's supplier registry out of every bundle and environment: it is the custom resource's S3 asset", () => {
    const bundleOf = (name: FunctionName) => {
      const code = resources[functionId(name)]?.Properties.Code as { S3Key: string };
      return readFileSync(join(app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
    };
    const clientId = config.supplierClients[0]?.clientId ?? '?';
    for (const name of ['oauth', 'authorizer', 'fhir'] as const)
      expect(bundleOf(name).includes(clientId)).toBe(false);
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(JSON.stringify(fn.Properties.Environment)).not.toContain('CLIENT_REGISTRY');
    }
    const asset = stack.organisations.asset;
    const uploaded = JSON.parse(readFileSync(join(app.outdir, asset.assetPath), 'utf8'));
    expect(uploaded.supplierSystems).toEqual(clientRegistry(config));
    expect(JSON.stringify(uploaded)).not.toMatch(/"d":/);
  });
});

describe('record table', () => {
  it('is on-demand, point-in-time recoverable, streamed, protected from deletion and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: tableDesign.timeToLiveAttribute, Enabled: true },
      },
    });
  });

  it('is encrypted with the customer-managed data key, which rotates', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack.keys.data), 'Arn'] },
      },
    });
    expect(resources[logicalIdOf(stack.keys.data)]?.Properties.EnableKeyRotation).toBe(true);
  });

  it('has the keys and the by-id index of the table design', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: tableDesign.byIdIndex.name,
          KeySchema: [{ AttributeName: tableDesign.byIdIndex.partitionKey, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });
});

describe('token signing key', () => {
  it('is an asymmetric RSA 2048 sign/verify key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  });
});

describe('event bus', () => {
  it('is a custom bus named for the deployment, encrypted with the data key', () => {
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: `shared-care-record-${config.name}-${config.stage}`,
      KmsKeyIdentifier: { 'Fn::GetAtt': [logicalIdOf(stack.keys.data), 'Arn'] },
    });
  });

  it('archives what the service publishes for the audit retention period', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      RetentionDays: config.auditRetentionDays,
      EventPattern: { source: ['shared-care-record'] },
    });
  });

  it('has one rule per entry of the event-rule table', () => {
    template.resourceCountIs('AWS::Events::Rule', eventRules.length);
  });
});

describe('stream consumers', () => {
  it('feeds each consumer from the table stream through its filter, with an on-failure queue', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, m]) => m.Properties)
      .filter((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'));
    expect(mappings).toHaveLength(streamConsumers.length);
    for (const consumer of streamConsumers) {
      const mapping = mappings.find((m) =>
        JSON.stringify(m.FunctionName).includes(functionId(consumer.target)),
      );
      expect(mapping).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.recordTable.table), 'StreamArn'] },
        BatchSize: consumer.batchSize,
        MaximumRetryAttempts: consumer.retryAttempts,
        BisectBatchOnFunctionError: consumer.bisectBatchOnError,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
      const filters =
        (mapping?.FilterCriteria as { Filters: { Pattern: string }[] } | undefined)?.Filters ?? [];
      expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([consumer.filterPattern]);
    }
  });
});

describe('queues', () => {
  it('encrypts every queue with the data key and refuses requests without TLS', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(streamConsumers.length);
    for (const [id, queue] of queues) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack.keys.data), 'Arn'],
      });
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
});

describe('documents bucket', () => {
  const documents = () => resources[logicalIdOf(stack.documentsBucket.bucket)];

  it('is versioned, KMS-encrypted with the data key, private, owner-enforced, logged and retained', () => {
    expect(documents()).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(stack.keys.data), 'Arn'] },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(stack.accessLogsBucket.bucket) } },
      },
    });
  });

  it('refuses requests that do not use TLS, on both buckets', () => {
    for (const bucket of [stack.documentsBucket.bucket, stack.accessLogsBucket.bucket]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalIdOf(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('logs', () => {
  it('gives every log group a retention period and the logs key', () => {
    const logGroups = ofType('AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThan(Object.keys(functions).length);
    for (const [, group] of logGroups) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.keys.logs), 'Arn'] });
    }
  });
});

describe('REST API', () => {
  /** The path of every API Gateway resource, rebuilt from PathPart and ParentId. */
  const resourcePaths = () => {
    const paths = new Map<string, string>();
    const pathOf = (id: string): string => {
      const known = paths.get(id);
      if (known !== undefined) return known;
      const resource = resources[id]?.Properties as { PathPart: string; ParentId: { Ref?: string } };
      const parent = resource.ParentId.Ref ? pathOf(resource.ParentId.Ref) : '';
      const path = `${parent}/${resource.PathPart}`;
      paths.set(id, path);
      return path;
    };
    for (const [id] of ofType('AWS::ApiGateway::Resource')) pathOf(id);
    return paths;
  };
  const authorizerId = () => ofType('AWS::ApiGateway::Authorizer')[0]?.[0];

  it('is a regional REST API', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('has a method for every route, integrated with its function, with the authorizer only on bearer routes', () => {
    const paths = resourcePaths();
    const methods = ofType('AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    expect(methods).toHaveLength(routes.length);
    expect(
      methods.map((m) => `${m.HttpMethod} ${paths.get((m.ResourceId as { Ref: string }).Ref)}`).sort(),
    ).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const method = methods.find(
        (m) =>
          m.HttpMethod === route.method && paths.get((m.ResourceId as { Ref: string }).Ref) === route.path,
      );
      expect(JSON.stringify(method?.Integration)).toContain(functionId(route.function));
      expect(method?.Integration).toMatchObject({ Type: 'AWS_PROXY' });
      if (route.auth === 'bearer') {
        expect(method).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId() } });
      } else {
        expect(method?.AuthorizationType).toBe('NONE');
        expect(method?.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('authorizes with a cached token authorizer on the Authorization header', () => {
    const [, authorizer] = ofType('AWS::ApiGateway::Authorizer')[0] ?? [];
    expect(authorizer?.Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
    });
    expect(authorizer?.Properties.AuthorizerResultTtlInSeconds).toBeGreaterThan(0);
    expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain(functionId('authorizer'));
  });

  it('tells a caller refused a token how to authenticate (CONTRACT §2) and never lets it be cached', () => {
    const parameters = (type: string) =>
      ofType('AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties.ResponseType === type)?.[1]
        .Properties.ResponseParameters;
    expect(parameters('UNAUTHORIZED')).toMatchObject({
      'gatewayresponse.header.WWW-Authenticate': "'Bearer'",
      'gatewayresponse.header.Cache-Control': "'no-store'",
    });
    expect(parameters('ACCESS_DENIED')).toMatchObject({
      'gatewayresponse.header.WWW-Authenticate': `'Bearer error="invalid_token"'`,
    });
  });

  it('passes every request body to the functions as bytes, so they can refuse what is not UTF-8', () => {
    const [, api] = ofType('AWS::ApiGateway::RestApi')[0] ?? [];
    expect(api?.Properties.BinaryMediaTypes).toEqual(['*/*']);
  });

  it('answers its own refusals with FHIR OperationOutcome bodies', () => {
    for (const response of gatewayResponses) {
      const [, found] =
        ofType('AWS::ApiGateway::GatewayResponse').find(
          ([, r]) => r.Properties.ResponseType === response.type,
        ) ?? [];
      expect(found?.Properties).toMatchObject({
        StatusCode: String(response.statusCode),
        ResponseParameters: {
          'gatewayresponse.header.Content-Type': "'application/fhir+json'",
          ...Object.fromEntries(
            Object.entries(response.headers ?? {}).map(([n, v]) => [`gatewayresponse.header.${n}`, `'${v}'`]),
          ),
        },
      });
      const templates = found?.Properties.ResponseTemplates as Record<string, string>;
      for (const body of [templates['application/json'], templates['application/fhir+json']]) {
        expect(JSON.parse(String(body))).toMatchObject({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: response.issueCode }],
        });
      }
    }
  });

  it('traces, throttles and access-logs the stage, and never logs bodies', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: API_STAGE_NAME,
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId"') },
      MethodSettings: [
        Match.objectLike({
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: Match.anyValue(),
        }),
      ],
    });
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AWS Solutions, HIPAA Security and Serverless packs', () => {
    const findings = nagPacks().flatMap((pack) =>
      pack
        .validateScope(app)
        .violations.map(
          (v) =>
            `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
    );
    expect(findings).toEqual([]);
  });

  it('leaves no error annotations on the stack', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
