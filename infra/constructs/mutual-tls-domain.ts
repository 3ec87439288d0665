import { CfnOutput } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { CustomDomainConfig } from '../config/types.ts';

/**
 * The API's custom domain name with mutual TLS: supplier systems present a client certificate issued by a CA in
 * the ICB's truststore. The API is mapped at the root, so the FHIR base is `https://<domain>/FHIR/R4`. DNS
 * stays with the ICB: the output names the target of the CNAME (or alias) record to create.
 */
export class MutualTlsDomain extends Construct {
  readonly domain: apigateway.DomainName;

  constructor(scope: Construct, id: string, props: { api: apigateway.RestApi; config: CustomDomainConfig }) {
    super(scope, id);
    const { config } = props;
    const [, bucketName = '', key = ''] = /^s3:\/\/([^/]+)\/(.+)$/.exec(config.truststoreUri) ?? [];
    this.domain = new apigateway.DomainName(this, 'Domain', {
      domainName: config.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn),
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      mtls: {
        bucket: s3.Bucket.fromBucketName(this, 'Truststore', bucketName),
        key,
        ...(config.truststoreVersion ? { version: config.truststoreVersion } : {}),
      },
      mapping: props.api,
    });
    const target = new CfnOutput(this, 'DnsTarget', {
      description: `Point ${config.domainName} (CNAME or alias) at this`,
      value: this.domain.domainNameAliasDomainName,
    });
    // A plain output name, as the README's post-deploy steps give it.
    target.overrideLogicalId('DomainDnsTarget');
  }
}
