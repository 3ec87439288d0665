import registry from './example-icb.registry.json' with { type: 'json' };
import type { IcbConfigInput, IcbRegistry } from './types.ts';

/**
 * A made-up ICB for development: copy this file and its `.registry.json` to add a real one. The organisations are the sandbox's; the
 * public keys are examples whose private halves were thrown away, so no one can sign as these clients.
 */
export const exampleIcb: IcbConfigInput = {
  name: 'example-icb',
  stage: 'dev',
  region: 'eu-west-2',
  // The registry: organisations and supplier systems, kept as JSON so `npm run icb` can change it.
  ...(registry as IcbRegistry),
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
