import type { IcbConfigInput } from './types.ts';

/**
 * A made-up production ICB, to show the settings a live deployment adds: a fixed account, a custom domain with
 * mutual TLS, suppliers that publish their own JWKS, the ICB's own safeguarding codes and a tighter WAF.
 */
export const exampleProdIcb: IcbConfigInput = {
  name: 'example-prod-icb',
  stage: 'prod',
  // AWS's documentation account id: replace with the ICB's own.
  account: '123456789012',
  region: 'eu-west-2',
  organisations: [
    { odsCode: 'B82001', name: 'Moorside Health Centre' },
    { odsCode: 'RY9', name: 'Moorside Community NHS Trust' },
    { odsCode: 'LA202', name: 'Moorside Council Adult Social Care', type: 'govt' },
  ],
  supplierClients: [
    {
      clientId: 'moorside-gp-system',
      name: 'Moorside Health Centre GP system',
      role: 'gp',
      organisations: ['B82001'],
      scopes: ['system/*.cruds'],
      jwksUrl: 'https://keys.gp-supplier.example/moorside/jwks.json',
    },
    {
      clientId: 'moorside-community-ehr',
      name: 'Moorside Community EHR',
      role: 'community',
      organisations: ['RY9'],
      scopes: ['system/*.cruds'],
      jwksUrl: 'https://ehr.moorside-community.example/.well-known/jwks.json',
      throttle: { rateLimit: 40, burstLimit: 80 },
    },
    {
      clientId: 'moorside-social-care',
      name: 'Moorside adult social care case management',
      role: 'social-care',
      organisations: ['LA202'],
      scopes: ['system/Patient.rs', 'system/Encounter.rs', 'system/Flag.crus', 'system/Task.rus'],
      publicKeys: [
        {
          kty: 'EC',
          kid: 'moorside-social-care-2026',
          alg: 'ES384',
          use: 'sig',
          crv: 'P-384',
          x: '6kLBCHHim-eAxtYPLRwOD2wLcHDTmAAaTwhp9tVJXHQatWT8jAhEwJj7LQX6WlEw',
          y: 'OeFjjg0jscgLJ6-_DIP_C6dnGs_7k8JWHymJV3V_XU8OJMVjN4PFkqOgQxJt-71A',
        },
      ],
    },
  ],
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
};
