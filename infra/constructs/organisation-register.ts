import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { DeploymentRegistry } from '#shared/organisations/deployment-registry';

/**
 * The ICB's registry (organisations and supplier systems) uploaded as one S3 asset, and applied by the
 * `organisation-register` function on every deployment that changes it: the custom resource's only property is
 * the asset's location, which changes with its content. One resource, whatever the ICB's size, and a registry
 * change redeploys no function.
 */
export class OrganisationRegister extends Construct {
  readonly resource: CustomResource;
  readonly asset: Asset;

  constructor(
    scope: Construct,
    id: string,
    props: { handler: lambda.IFunction; registry: DeploymentRegistry },
  ) {
    super(scope, id);
    const dir = mkdtempSync(join(tmpdir(), 'scr-registry-'));
    writeFileSync(join(dir, 'registry.json'), JSON.stringify(props.registry));
    this.asset = new Asset(this, 'Registry', { path: join(dir, 'registry.json') });
    // The one object only: the asset's grantRead would allow s3:GetObject* and List* on the whole bucket.
    props.handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.asset.bucket.arnForObjects(this.asset.s3ObjectKey)],
      }),
    );
    this.resource = new CustomResource(this, 'Organisations', {
      serviceToken: props.handler.functionArn,
      resourceType: 'Custom::Organisations',
      properties: { Registry: { Bucket: this.asset.s3BucketName, Key: this.asset.s3ObjectKey } },
    });
  }
}
