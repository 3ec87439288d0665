import type { IcbConfigInput } from './types.ts';

/** A made-up ICB for development and the sandbox: copy this file to add a real one. */
export const exampleIcb: IcbConfigInput = {
  name: 'example-icb',
  stage: 'dev',
  region: 'eu-west-2',
  // Placeholder: the service's default list until the ICB's safeguarding leads settle their own.
  safeguardingCodes: [],
  logRetentionDays: 90,
  // Eight years, as the NHS Records Management Code keeps adult health records; the ICB's IG lead confirms.
  auditRetentionDays: 2922,
};
