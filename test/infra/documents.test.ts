import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IcbConfig } from '#infra/config/types';
import type { SharedCareRecordStack } from '#infra/stack';
import { type FunctionName, functions } from '#shared/service/functions';
import { routes } from '#shared/service/routes';
import { type CfnResource, synthesizedIcb } from '../support/synthesized-icb.ts';

let config: IcbConfig;
let stack: SharedCareRecordStack;
let template: Template;
let resources: Record<string, CfnResource>;

// The example ICB as `cdk synth` builds it, shared with the other infra files.
beforeAll(() => {
  ({ config, stack, template, resources } = synthesizedIcb('example-icb'));
});

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
const bucketId = () => logicalIdOf(stack.documentsBucket.bucket);
const bucket = () => resources[bucketId()] as CfnResource;

describe('documents bucket', () => {
  it('is encrypted with the data key, versioned and closed to the public', () => {
    expect(bucket().Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(stack.keys.data), 'Arn'] },
            },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('refuses requests without TLS, and below TLS 1.2', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  it('expires unclaimed uploads within days, all their versions and unfinished multipart uploads included', () => {
    const rules = (bucket().Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'uploads/',
        Status: 'Enabled',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    );
  });

  it("never expires a stored document, and keeps its earlier versions for the ICB's retention period", () => {
    const rules = (bucket().Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    const documents = rules.filter((r) => r.Prefix === undefined || String(r.Prefix).startsWith('documents'));
    expect(documents).toEqual([
      expect.objectContaining({
        Prefix: 'documents/',
        NoncurrentVersionExpiration: { NoncurrentDays: config.auditRetentionDays },
        ExpiredObjectDeleteMarker: true,
      }),
    ]);
    expect(documents[0]).not.toHaveProperty('ExpirationInDays');
    expect(documents[0]).not.toHaveProperty('ExpirationDate');
  });
});

describe('documents functions', () => {
  const policyOf = (name: FunctionName) => {
    const role = stack.functions.byName[name].function.role;
    const roleId = logicalIdOf(role as unknown as { node: { defaultChild?: unknown } });
    return Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId),
    );
  };

  it.each(['fhir', 'documents'] as const)(
    'lets %s put, read and delete objects in the documents bucket, and tells it the bucket',
    (name) => {
      expect(functions[name].grants.bucket).toBe('readWrite');
      const statements = policyOf(name).flatMap(
        (p) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement,
      );
      const onObjects = statements.filter((s) => JSON.stringify(s.Resource).includes(`${bucketId()}`));
      const actions = onObjects.flatMap((s) => s.Action);
      expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject*', 's3:DeleteObject*']));
      const fn = resources[logicalIdOf(stack.functions.byName[name].function)] as CfnResource;
      expect(fn.Properties).toMatchObject({
        Environment: { Variables: { BUCKET_NAME: { Ref: bucketId() } } },
      });
    },
  );

  it('routes POST Binary/$upload-url and GET Binary/{id} to the documents function, behind the token authorizer', () => {
    const binary = routes.filter((r) => r.path.startsWith('/FHIR/R4/Binary'));
    expect(binary.map((r) => `${r.method} ${r.path} ${r.function} ${r.auth}`)).toEqual([
      'POST /FHIR/R4/Binary/$upload-url documents bearer',
      'GET /FHIR/R4/Binary/{id} documents bearer',
    ]);
    for (const route of binary) {
      const method = resources[logicalIdOf(stack.api.methods[`${route.method} ${route.path}`] as never)];
      expect(method?.Properties).toMatchObject({ HttpMethod: route.method, AuthorizationType: 'CUSTOM' });
      expect(JSON.stringify(method?.Properties.Integration)).toContain(
        logicalIdOf(stack.functions.byName.documents.function),
      );
    }
  });
});
