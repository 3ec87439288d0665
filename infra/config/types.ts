import type { JWK } from 'jose';
import type { OrganisationRole } from '#shared/access/supplier-client';

/**
 * An organisation of the ICB's region that supplier systems act for: each deployment makes it an Organization in
 * the record, at its ODS code.
 */
export interface IcbOrganisation {
  /** The organisation's ODS code (`A81001`, `RX1`). */
  odsCode: string;
  name: string;
  /** FHIR organization-type code: `prov` (a care provider, the default), `govt` (a council, the ICB), `other`. */
  type?: 'prov' | 'govt' | 'other';
}

/**
 * A supplier system allowed to call the API: it signs its client assertions with a private key whose public
 * half is given here inline (`publicKeys`) or published by the supplier (`jwksUrl`), never both.
 */
export interface SupplierClientConfig {
  /** The `iss` and `sub` of its client assertions: letters, digits, `.`, `_` and `-`. */
  clientId: string;
  name: string;
  role: OrganisationRole;
  /** The organisation it acts for: one of `organisations`. */
  odsCode: string;
  /** SMART v2 system scopes, `system/<Type|*>.<cruds>` (`system/*.cruds`, `system/AuditEvent.rs`). */
  scopes: string[];
  /** Public RSA or EC JWKs, each with `kid` and `alg`. */
  publicKeys?: JWK[];
  /** An `https` JWKS URL the supplier publishes its public keys at, so it can rotate them itself. */
  jwksUrl?: string;
  /** Its own API Gateway usage plan; the default suits one supplier system's normal load. */
  throttle?: { rateLimit: number; burstLimit: number };
}

/**
 * A custom domain name for the API, with mutual TLS: callers present a client certificate signed by a CA in the
 * truststore, and the default execute-api endpoint is switched off so the domain is the only way in.
 */
export interface CustomDomainConfig {
  /** The API's host name (`fhir.example-icb.nhs.uk`). */
  domainName: string;
  /** An ACM certificate for `domainName` in the deployment's region. */
  certificateArn: string;
  /** `s3://bucket/key.pem`: the PEM bundle of CAs whose client certificates are accepted. */
  truststoreUri: string;
  /** The truststore object's S3 version, so a changed truststore is a visible deployment. */
  truststoreVersion?: string;
}

/** The regional web ACL in front of the API. */
export interface WafConfig {
  enabled: boolean;
  /** Requests one IP address may make in any 5 minutes before it is blocked for a while. */
  rateLimitPer5Minutes: number;
}

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
  /** The organisations supplier clients act for. */
  organisations: IcbOrganisation[];
  /** The supplier systems that may call the API, baked into the token function at build time. */
  supplierClients: SupplierClientConfig[];
  /**
   * SNOMED CT codes that make a Flag a safeguarding concern, given to the functions as `SAFEGUARDING_CODES`;
   * empty means the service's default list (`shared/events/safeguarding-codes.ts`).
   */
  safeguardingCodes: string[];
  /** Where alarms are e-mailed (the address confirms the SNS subscription once). */
  alarmEmail: string;
  /** Break-glass uses in an hour above which the break-glass alarm goes off. */
  breakGlassAlarmPerHour: number;
  /** Days CloudWatch keeps the functions' logs (one of CloudWatch's allowed values). */
  logRetentionDays: number;
  /**
   * Days the audit trail around the record is kept: API access logs, S3 access logs, the event archive
   * (one of CloudWatch's allowed values, since the access log group uses it).
   */
  auditRetentionDays: number;
  customDomain?: CustomDomainConfig;
  waf: WafConfig;
  /**
   * Origins (`https://epr.example-trust.nhs.uk`) of the supplier systems that embed the point-of-care viewer in
   * a frame: its Content-Security-Policy `frame-ancestors`. Left out, no page may frame it.
   */
  viewerFrameAncestors?: string[];
}

/** An ICB file as written: fields with a sensible default may be left out. */
export type IcbConfigInput = Omit<IcbConfig, 'region' | 'waf' | 'breakGlassAlarmPerHour'> & {
  region?: string;
  waf?: Partial<WafConfig>;
  breakGlassAlarmPerHour?: number;
};

/** The region used when an ICB file names none: AWS London. */
export const DEFAULT_REGION = 'eu-west-2';

/** The WAF is on unless an ICB turns it off; the rate limit is per client IP address, over 5 minutes. */
export const DEFAULT_WAF: WafConfig = { enabled: true, rateLimitPer5Minutes: 3000 };

/** A supplier system's usage plan unless its entry says otherwise: requests per second, and burst. */
export const DEFAULT_CLIENT_THROTTLE = { rateLimit: 25, burstLimit: 50 };

/** More break-glass uses than this in an hour is unusual enough for someone to look. */
export const DEFAULT_BREAK_GLASS_ALARM_PER_HOUR = 5;
