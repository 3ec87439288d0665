import registry from './example-prod-icb.registry.json' with { type: 'json' };
import type { IcbConfigInput, IcbRegistry } from './types.ts';

/**
 * A made-up production ICB, to show the settings a live deployment adds: a fixed account, a custom domain with
 * mutual TLS, suppliers that publish their own JWKS, the ICB's own safeguarding codes, a tighter WAF and the
 * purposes its analysts may ask for identified exports for.
 */
export const exampleProdIcb: IcbConfigInput = {
  name: 'example-prod-icb',
  stage: 'prod',
  // AWS's documentation account id: replace with the ICB's own.
  account: '123456789012',
  region: 'eu-west-2',
  // The registry: organisations and supplier systems, kept as JSON so `npm run icb` can change it.
  ...(registry as IcbRegistry),
  // The service's defaults plus a local code the ICB's safeguarding leads asked for.
  safeguardingCodes: [
    '836881000000105',
    '1064961000000107',
    '878111000000109',
    '342191000000101',
    '225915006',
  ],
  alarmEmail: 'scr-oncall@moorside-icb.example',
  breakGlassAlarmPerHour: 10,
  logRetentionDays: 365,
  auditRetentionDays: 2922,
  customDomain: {
    domainName: 'fhir.moorside-icb.example',
    certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/0f6d2b8e-3c1a-4e7f-9b2d-5a8c7e6f4d3b',
    truststoreUri: 's3://moorside-icb-mtls-truststore/supplier-cas.pem',
    truststoreVersion: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
  },
  waf: { enabled: true, rateLimitPer5Minutes: 2000 },
  // Identified exports only for purposes with their own legal basis; every other export is pseudonymised.
  export: {
    identifiedPurposes: [
      {
        code: 'invoice-validation',
        description:
          "Invoice validation in the ICB's controlled environment for finance, under its section 251 support",
      },
      {
        code: 'risk-stratification',
        description:
          'Risk stratification for case finding by the GP practices, under its section 251 support',
      },
    ],
    // Analysts download within a day or two; three days keeps fewer copies about.
    fileRetentionDays: 3,
  },
};
