import { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The asymmetric KMS key that signs the service's access tokens (RS256). The private half never leaves KMS:
 * the token endpoint asks KMS to sign, the authorizer asks KMS to verify, and the JWKS publishes the public key.
 */
export class TokenSigningKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { alias: string }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: 'Shared care record: signs access tokens (RS256)',
      keySpec: kms.KeySpec.RSA_2048,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Lets the token endpoint sign tokens and publish the public key in its JWKS. */
  grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.key.grant(grantee, 'kms:Sign', 'kms:GetPublicKey');
  }

  /** Lets the authorizer check a token's signature: it verifies locally (jose) with the public key, never in KMS. */
  grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.key.grant(grantee, 'kms:GetPublicKey');
  }
}
