import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_REGION, type IcbConfig, type IcbConfigInput } from './types.ts';

/** A field of an ICB file is missing or wrong; the message names the ICB and the field. */
export class IcbConfigError extends Error {
  constructor(
    readonly icb: string,
    readonly field: string,
    problem: string,
  ) {
    super(`ICB config "${icb}": ${field} ${problem}`);
    this.name = 'IcbConfigError';
  }
}

/** CloudWatch Logs only accepts these retention periods (INFINITE aside: every log here has an end). */
const allowedRetentionDays = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/**
 * Checks an ICB file and fills in defaults, so a typo fails `cdk synth` with the field's name rather than a
 * CloudFormation error half-way through a deployment.
 *
 * @example validateIcbConfig({ name: 'example-icb', stage: 'dev', ... }).region // 'eu-west-2'
 */
export function validateIcbConfig(input: IcbConfigInput): IcbConfig {
  const icb = typeof input.name === 'string' && input.name !== '' ? input.name : '(unnamed)';
  const fail = (field: string, problem: string): never => {
    throw new IcbConfigError(icb, field, problem);
  };

  if (typeof input.name !== 'string' || !/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/.test(input.name)) {
    fail('name', 'must be 3 to 32 lower-case letters, digits and hyphens, starting with a letter');
  }
  if (typeof input.stage !== 'string' || !/^[a-z][a-z0-9]{0,9}$/.test(input.stage)) {
    fail('stage', 'must be 1 to 10 lower-case letters and digits, starting with a letter (e.g. dev, prod)');
  }
  if (input.account !== undefined && !/^\d{12}$/.test(input.account)) {
    fail('account', 'must be a 12-digit AWS account id, or left out');
  }
  const region = input.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    fail('region', `must be an AWS region such as ${DEFAULT_REGION}`);
  }
  if (
    !Array.isArray(input.safeguardingCodes) ||
    !input.safeguardingCodes.every((code) => typeof code === 'string' && /^\d{6,18}$/.test(code))
  ) {
    fail('safeguardingCodes', 'must be a list of SNOMED CT concept ids (6 to 18 digits)');
  }
  for (const field of ['logRetentionDays', 'auditRetentionDays'] as const) {
    if (!allowedRetentionDays.includes(input[field])) {
      fail(field, `must be one of CloudWatch's retention periods: ${allowedRetentionDays.join(', ')}`);
    }
  }

  return { ...input, region };
}
