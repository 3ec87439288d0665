/**
 * What one integrated care board's deployment needs to know. Each ICB has a file in this folder; `icbs.ts`
 * lists them and `-c icb=<name>` picks one.
 */
export interface IcbConfig {
  /** Short kebab-case name, used in the stack name and resource names (`example-icb`). */
  name: string;
  /** Deployment stage (`dev`, `test`, `prod`): one ICB can run several side by side. */
  stage: string;
  /** AWS account to deploy into; omitted, the stack stays account-agnostic and takes the CLI's account. */
  account?: string;
  /** AWS region. Patient data stays in the UK, so London unless there is a reason. */
  region: string;
  /**
   * SNOMED CT codes that make a Flag a safeguarding concern, given to the functions as `SAFEGUARDING_CODES`;
   * empty means the service's default list (`shared/events/safeguarding-codes.ts`).
   */
  safeguardingCodes: string[];
  /** Days CloudWatch keeps the functions' logs (one of CloudWatch's allowed values). */
  logRetentionDays: number;
  /**
   * Days the audit trail around the record is kept: API access logs, S3 access logs, the event archive
   * (one of CloudWatch's allowed values, since the access log group uses it).
   */
  auditRetentionDays: number;
}

/** An ICB file as written: fields with a sensible default may be left out. */
export type IcbConfigInput = Omit<IcbConfig, 'region'> & { region?: string };

/** The region used when an ICB file names none: AWS London. */
export const DEFAULT_REGION = 'eu-west-2';
