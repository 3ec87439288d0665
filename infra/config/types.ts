import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { isOdsCode } from '#shared/fhir/ods-code';
import { resourceTypes } from '#shared/service/resource-types';
import { nearest } from './nearest-key.ts';

/**
 * The ICB config as one zod schema: its TypeScript types, its validation (`validate.ts`) and its reference
 * documentation (`docs/CONFIG.md`, written by `scripts/config-docs.ts`) all come from it. Every object is
 * strict, so a misspelt key is an error naming its path and the nearest known key, never silently ignored.
 */

/** A strict object whose unknown-key error names the nearest known key. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys
        .map((key) => {
          const close = nearest(key, known);
          return close
            ? `is not a known key: did you mean "${close}"?`
            : `is not a known key (known: ${known.join(', ')})`;
        })
        .join('; ');
    },
  });
}

/** CloudWatch Logs only accepts these retention periods (INFINITE aside: every log here has an end). */
export const allowedRetentionDays = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);
const retentionDays = z
  .number()
  .meta({ allowed: allowedRetentionDays.join(', ') })
  .refine(
    (d) => allowedRetentionDays.includes(d),
    `must be one of CloudWatch's retention periods: ${allowedRetentionDays.join(', ')}`,
  );

export const organisationRoles = [
  'gp',
  'gp-other',
  'gp-system',
  'acute',
  'community',
  'social-care',
  'auditor',
  'analyst',
] as const;

/** The FHIR types a scope may name: those the API serves, and its own Subscription and Binary endpoints. */
export const servedTypes = [...Object.keys(resourceTypes), 'Subscription', 'Binary'];

const odsCode = z
  .string()
  .refine(isOdsCode, 'must be an ODS code: 3 to 10 upper-case letters and digits (A81001, RX1)')
  .meta({ allowed: 'an ODS code: 3 to 10 upper-case letters and digits' });

/** `system/<Type|*>.<permissions>`: SMART v2 letters in order (`cruds`, `rs`), or v1 `read` / `write`. */
const SCOPE = /^system\/([A-Z][A-Za-z]{1,63}|\*)\.(c?r?u?d?s?|read|write)$/;
const scope = z
  .string()
  .meta({ allowed: `system/<Type or *>.<cruds>, Type one of ${servedTypes.join(', ')}` })
  .superRefine((value, ctx) => {
    const m = SCOPE.exec(value);
    if (!m || value.endsWith('.')) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be system/<Type|*>.<cruds>, e.g. system/*.cruds or system/Patient.rs',
      });
      return;
    }
    const type = m[1] as string;
    if (type !== '*' && !servedTypes.includes(type)) {
      const close = nearest(type, servedTypes);
      ctx.addIssue({
        code: 'custom',
        message: `names ${type}, which the API does not serve${close ? `: did you mean ${close}?` : ''}`,
      });
    }
  });

/** The algorithms client assertions may use (as `shared/access/client-assertion.ts` accepts them). */
const algorithmsByKeyType: Record<string, string[]> = {
  RSA: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  EC: ['ES256', 'ES384', 'ES512'],
};
const curveOf: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
/** JWK members that only private or symmetric keys have. */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** A 2048-bit RSA modulus is 342 base64url characters. */
const MIN_RSA_MODULUS_CHARS = 342;

/** A public JWK: checked member by member, so a private key is refused and called leaked. */
const publicJwk = z
  .looseObject({
    kty: z.string(),
    kid: z.string().min(1, 'must be set').optional(),
    alg: z.string().optional(),
    use: z.literal('sig', 'must be sig, or left out').optional(),
  })
  .superRefine((key, ctx) => {
    const secret = privateMembers.filter((m) => m in key);
    if (secret.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `is a private or secret key (has ${secret.join(', ')}): give the public key only, and treat this one as leaked`,
      });
      return;
    }
    const algorithms = algorithmsByKeyType[key.kty];
    if (!algorithms)
      return void ctx.addIssue({ code: 'custom', path: ['kty'], message: 'must be RSA or EC' });
    if (key.kid === undefined) ctx.addIssue({ code: 'custom', path: ['kid'], message: 'must be set' });
    if (typeof key.alg !== 'string' || !algorithms.includes(key.alg)) {
      ctx.addIssue({
        code: 'custom',
        path: ['alg'],
        message: `must be one of ${algorithms.join(', ')} for a ${key.kty} key`,
      });
      return;
    }
    const k = key as Record<string, unknown>;
    if (key.kty === 'RSA') {
      if (typeof k.n !== 'string' || k.n.length < MIN_RSA_MODULUS_CHARS || typeof k.e !== 'string') {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an RSA public key of at least 2048 bits (n and e)',
        });
      }
    } else if (k.crv !== curveOf[key.alg] || typeof k.x !== 'string' || typeof k.y !== 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `must be an EC public key on ${curveOf[key.alg]} (crv, x and y)`,
      });
    }
  });

export const DEFAULT_CLIENT_THROTTLE = { rateLimit: 25, burstLimit: 50 };

export const organisationSchema = strict({
  odsCode: odsCode.describe("The organisation's ODS code (`A81001`, `RX1`); its Organization's id"),
  name: z.string().trim().min(1, 'must not be empty').describe('Its name, as suppliers see it'),
  type: z
    .enum(['prov', 'govt', 'other'], 'must be prov, govt or other (FHIR organization-type), or left out')
    .default('prov')
    .describe('FHIR organization-type code: `prov` (a care provider), `govt` (a council, the ICB), `other`'),
});

export const supplierClientSchema = strict({
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, 'must be 3 to 64 letters, digits, ".", "_" and "-"')
    .describe('The `iss` and `sub` of its client assertions'),
  // The name travels into audit records: printable text only.
  name: z
    .string()
    .regex(/^[\p{L}\p{N} .,'&()/-]{1,200}$/u, "must be 1 to 200 letters, digits, spaces and .,'&()/-")
    .describe('The supplier system, as audit records name it'),
  role: z
    .enum(organisationRoles, `must be one of ${organisationRoles.join(', ')}`)
    .describe(
      'The kind of organisation it acts for (`auditor`: the ICB information governance team; `analyst`: its population-health analysts, who may only export)',
    ),
  organisations: z
    .array(odsCode)
    .min(1, 'must list at least one organisation')
    .describe(
      'ODS codes of the organisations it acts for, each one of `organisations`; with several, every call names one in `NHSD-End-User-Organisation-ODS`',
    ),
  scopes: z
    .array(scope)
    .min(1, 'must list at least one scope')
    .describe('SMART v2 system scopes, `system/<Type|*>.<cruds>`, naming types the API serves'),
  publicKeys: z
    .array(publicJwk)
    .optional()
    .describe(
      'Its public RSA or EC JWKs, each with `kid` and `alg` (never a private key); or give `jwksUrl`',
    ),
  jwksUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .optional()
    .describe('An `https` JWKS URL it publishes its public keys at, so it rotates them itself'),
  throttle: strict({
    rateLimit: z.number().gt(0).max(10_000, 'must be requests per second, above 0 and at most 10000'),
    burstLimit: z.number().int().min(1).max(5000, 'must be a whole number of requests, 1 to 5000'),
  })
    .optional()
    .describe(
      `Its own usage plan: requests per second and burst (default ${DEFAULT_CLIENT_THROTTLE.rateLimit} and ${DEFAULT_CLIENT_THROTTLE.burstLimit})`,
    ),
});

const HOST_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const customDomainSchema = strict({
  domainName: z
    .string()
    .regex(HOST_NAME, 'must be a lower-case DNS host name such as fhir.example-icb.nhs.uk')
    .describe("The API's host name (`fhir.example-icb.nhs.uk`)"),
  certificateArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/,
      'must be an ACM certificate ARN',
    )
    .describe("An ACM certificate for `domainName` in the deployment's region"),
  truststoreUri: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/,
      'must be s3://<bucket>/<key> of a PEM bundle of the CAs to trust',
    )
    .describe(
      '`s3://bucket/key.pem`: the PEM bundle of CAs whose client certificates are accepted (mutual TLS)',
    ),
  truststoreVersion: z
    .string()
    .trim()
    .min(1, 'must be an S3 object version id, or left out')
    .optional()
    .describe("The truststore object's S3 version, so a changed truststore is a visible deployment"),
});

export const DEFAULT_WAF = { enabled: true, rateLimitPer5Minutes: 3000 };

export const wafSchema = strict({
  enabled: z
    .boolean('must be true or false')
    .default(DEFAULT_WAF.enabled)
    .describe('The regional web ACL in front of the API'),
  rateLimitPer5Minutes: z
    .number()
    .int()
    .min(100, 'must be a whole number of requests, at least 100 (WAF accepts no fewer)')
    .default(DEFAULT_WAF.rateLimitPer5Minutes)
    .describe('Requests one IP address may make in any 5 minutes before it is blocked for a while'),
});

/** A purpose an identified export may name: a short code the kick-off gives, and what it is, for the audit. */
export const identifiedPurposeSchema = strict({
  code: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, 'must be 2 to 64 letters, digits, ".", "_" and "-"')
    .describe('The code an identified export names as its purpose, as the audit records it'),
  description: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .describe('The purpose and its legal basis, in words (the approval it rests on)'),
});

/** Export files are deleted this many days after they are written unless an ICB says otherwise. */
export const DEFAULT_EXPORT_FILE_RETENTION_DAYS = 7;
export const DEFAULT_EXPORT = {
  identifiedPurposes: [],
  fileRetentionDays: DEFAULT_EXPORT_FILE_RETENTION_DAYS,
};

export const exportSchema = strict({
  identifiedPurposes: z
    .array(identifiedPurposeSchema)
    .default([])
    .refine(
      (purposes) => new Set(purposes.map((p) => p.code)).size === purposes.length,
      'must not list a code twice',
    )
    .describe(
      'The purposes for which an analyst may ask for an identified export (`_identified=true`); empty: every export is pseudonymised',
    ),
  fileRetentionDays: z
    .number()
    .int()
    .min(1, 'must be a whole number of days, 1 to 30')
    .max(30, 'must be a whole number of days, 1 to 30: export files are copies of the record, not an archive')
    .default(DEFAULT_EXPORT_FILE_RETENTION_DAYS)
    .describe("Days an export's NDJSON files are kept before S3 deletes them"),
});

export const DEFAULT_REGION = 'eu-west-2';
export const DEFAULT_BREAK_GLASS_ALARM_PER_HOUR = 5;
/** An ended care context counts for this many days unless an ICB says otherwise (CONTRACT §4). */
export const DEFAULT_RELATIONSHIP_GRACE_DAYS = 30;
/** More new relationships than this in an hour, across the ICB, is unusual enough for someone to look. */
export const DEFAULT_RELATIONSHIP_STARTED_ALARM_PER_HOUR = 50;

export const icbConfigSchema = strict({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
      'must be 3 to 32 lower-case letters, digits and hyphens, starting with a letter',
    )
    .describe('Short kebab-case name, used in the stack name and resource names (`example-icb`)'),
  stage: z
    .string()
    .regex(
      /^[a-z][a-z0-9]{0,9}$/,
      'must be 1 to 10 lower-case letters and digits, starting with a letter (e.g. dev, prod)',
    )
    .describe('Deployment stage (`dev`, `test`, `prod`): one ICB can run several side by side'),
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id, or left out')
    .optional()
    .describe("AWS account to deploy into; left out, the stack takes the CLI's account"),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, `must be an AWS region such as ${DEFAULT_REGION}`)
    .default(DEFAULT_REGION)
    .describe('AWS region. Patient data stays in the UK, so London unless there is a reason'),
  organisations: z
    .array(organisationSchema)
    .min(1, 'must list at least one organisation')
    .describe('The organisations supplier systems act for; each becomes an Organization at its ODS code'),
  supplierClients: z
    .array(supplierClientSchema)
    .describe(
      'The supplier systems that may call the API: the registry, written to the record table at deployment',
    ),
  safeguardingCodes: z
    .array(z.string().regex(/^\d{6,18}$/, 'must be a SNOMED CT concept id (6 to 18 digits)'))
    .default([])
    .describe(
      "SNOMED CT codes that make a Flag a safeguarding concern; empty means the service's default list",
    ),
  alarmEmail: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address (alarms are sent to it)')
    .describe('Where alarms are e-mailed (the address confirms the SNS subscription once)'),
  breakGlassAlarmPerHour: z
    .number()
    .int()
    .min(1, 'must be a whole number of break-glass uses an hour, at least 1')
    .default(DEFAULT_BREAK_GLASS_ALARM_PER_HOUR)
    .describe('Break-glass uses in an hour above which the break-glass alarm goes off'),
  relationshipGraceDays: z
    .number()
    .int()
    .min(0, 'must be a whole number of days, 0 or more')
    .default(DEFAULT_RELATIONSHIP_GRACE_DAYS)
    .describe(
      'Days an ended care context (Encounter, EpisodeOfCare, referral) still gives its organisation a relationship',
    ),
  relationshipStartedAlarmPerHour: z
    .number()
    .int()
    .min(1, 'must be a whole number of relationships started an hour, at least 1')
    .default(DEFAULT_RELATIONSHIP_STARTED_ALARM_PER_HOUR)
    .describe(
      'Relationships started (care contexts claimed) in an hour above which the relationship alarm goes off',
    ),
  logRetentionDays: retentionDays.describe("Days CloudWatch keeps the functions' logs"),
  auditRetentionDays: retentionDays.describe(
    'Days the audit trail around the record is kept: API access logs, S3 access logs, the event archive',
  ),
  viewerFrameAncestors: z
    .array(
      // An origin only (scheme, host, optional port): a CSP source with a path or wildcard would frame too much.
      z
        .string()
        .regex(
          /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/,
          'must be an https origin such as https://epr.example-trust.nhs.uk',
        ),
    )
    .optional()
    .describe(
      'Origins of the supplier systems that embed the point-of-care viewer in a frame (its CSP frame-ancestors); left out, no page may frame it',
    ),
  customDomain: customDomainSchema
    .optional()
    .describe('A custom domain with mutual TLS; the default execute-api endpoint is then switched off'),
  waf: wafSchema.default(DEFAULT_WAF).describe('The regional web ACL in front of the API'),
  export: exportSchema
    .default(DEFAULT_EXPORT)
    .describe("Bulk Data export (`$export`) for the ICB's population-health analysts"),
});

/** An ICB file as written: fields with a default may be left out. */
export type IcbConfigInput = z.input<typeof icbConfigSchema>;
/** What one integrated care board's deployment needs to know, defaults filled in. */
export type IcbConfig = z.output<typeof icbConfigSchema>;
export type IcbOrganisation = IcbConfig['organisations'][number];
export type SupplierClientConfig = IcbConfig['supplierClients'][number];
export type CustomDomainConfig = NonNullable<IcbConfig['customDomain']>;
export type WafConfig = IcbConfig['waf'];
export type ExportConfig = IcbConfig['export'];
/** The part of an ICB's config `npm run icb` changes, kept in `infra/config/<icb>.registry.json`. */
export type IcbRegistry = Pick<IcbConfigInput, 'organisations' | 'supplierClients'>;
