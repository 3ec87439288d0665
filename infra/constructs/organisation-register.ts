import { CustomResource } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { IcbOrganisation } from '../config/types.ts';

/**
 * The ICB's organisations as the record's Organizations, registered by the `organisation-register` function on
 * every deployment that changes the list (CloudFormation passes the list as the custom resource's properties).
 */
export class OrganisationRegister extends Construct {
  readonly resource: CustomResource;

  constructor(
    scope: Construct,
    id: string,
    props: { handler: lambda.IFunction; organisations: IcbOrganisation[] },
  ) {
    super(scope, id);
    this.resource = new CustomResource(this, 'Organisations', {
      serviceToken: props.handler.functionArn,
      resourceType: 'Custom::Organisations',
      properties: { Organisations: props.organisations },
    });
  }
}
