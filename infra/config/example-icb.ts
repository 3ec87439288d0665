import type { IcbConfigInput } from './types.ts';

const clinical = ['system/*.cruds'];

/**
 * A made-up ICB for development: copy this file to add a real one. The organisations are the sandbox's; the
 * public keys are examples whose private halves were thrown away, so no one can sign as these clients.
 */
export const exampleIcb: IcbConfigInput = {
  name: 'example-icb',
  stage: 'dev',
  region: 'eu-west-2',
  organisations: [
    { odsCode: 'A81001', name: 'Riverside Medical Practice' },
    { odsCode: 'RX1', name: 'Northbridge University Hospitals NHS Trust' },
    { odsCode: 'QNB', name: 'NHS Northbridge Integrated Care Board', type: 'govt' },
  ],
  supplierClients: [
    {
      clientId: 'riverside-gp-system',
      name: 'Riverside Medical Practice GP system',
      role: 'gp',
      odsCode: 'A81001',
      scopes: clinical,
      publicKeys: [
        {
          kty: 'RSA',
          kid: 'riverside-gp-system-1',
          alg: 'RS512',
          use: 'sig',
          e: 'AQAB',
          n:
            'tF8eI4-M2W8q6NeyrCsAf30rIEantGULsokgsCGvZu3CQh1m0wrEzAWe3mIX9MdOYUNoJJ0E0fKZkT666reZIX3vEUxK98GDMwzLoq7i_-TgJBq9' +
            'GiI-kl7N5yr0aPPt3Vmb2rUr5UQuQT5N1TGShgnYhsqicbTH9YdJ8hcDFA_CIyw-eEiQo8KOknTIu6cef65sKcTufS8tttI_Qd3MmQ8WpapLmjMys' +
            '394zUKVjgbOS_4GI_ktxFwdNDqqT-ug_SxKso69Z0NLXIuTJpSwfo4Vp-FquApXtopNHxWkKBnB0ml9jP8igb9sjO7OO2QUFrVEE98iCph0KNC-Z8zfjw',
        },
      ],
    },
    {
      clientId: 'northbridge-epr',
      name: 'Northbridge University Hospitals EPR',
      role: 'acute',
      odsCode: 'RX1',
      scopes: clinical,
      publicKeys: [
        {
          kty: 'RSA',
          kid: 'northbridge-epr-2026',
          alg: 'RS512',
          use: 'sig',
          e: 'AQAB',
          n:
            '36eceSI3fsnXmHnfWioIAdzy3BQ2eR_LrBJEjY_Hm0oeaYvh-5AbbMMhX0wPyoL4ueN7aqeweGXXw9Of6sZfCzQGuCdcq_LIxxSZzZxZrgkb3Hse' +
            '7x-ZMNI3hqVsmmUlkd3uc9RdDg0adHCmQVfktKkuQp53F-VzbgI9OqtNrZ3BWX7xWXpf8pznjFXZoxTyjO2mF3vLOxPFES8F5lTHndXZyFFNplnO0a4' +
            'npDRmVlDhIQS0jHSk76IUOgeBmlVkCjJtqAQRb77LRw4DFzExW8hu3BwkdmwEdAs6f2QHo-i_09GQVK8675tw6s2mbenr6tFpjkBIm05aV11WfE71lw',
        },
      ],
      // A hospital's EPR sends more than a practice's system.
      throttle: { rateLimit: 50, burstLimit: 100 },
    },
    {
      clientId: 'northbridge-ig-audit',
      name: 'Northbridge ICB information governance',
      role: 'auditor',
      odsCode: 'QNB',
      scopes: ['system/AuditEvent.rs', 'system/Organization.rs'],
      jwksUrl: 'https://ig.northbridge-icb.example/.well-known/jwks.json',
    },
  ],
  // Placeholder: the service's default list until the ICB's safeguarding leads settle their own.
  safeguardingCodes: [],
  alarmEmail: 'shared-care-record-alerts@northbridge-icb.example',
  logRetentionDays: 90,
  // Eight years, as the NHS Records Management Code keeps adult health records; the ICB's IG lead confirms.
  auditRetentionDays: 2922,
  waf: { enabled: true },
  // The EPRs that embed the point-of-care viewer in a frame.
  viewerFrameAncestors: ['https://epr.northbridge-hospitals.example.nhs.uk'],
};
