import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { JWK } from 'jose';
import type { OrganisationRole } from '#shared/access/supplier-client';
import { isOdsCode } from '#shared/fhir/ods-code';
import { clientRegistry } from './client-registry.ts';
import {
  DEFAULT_BREAK_GLASS_ALARM_PER_HOUR,
  DEFAULT_REGION,
  DEFAULT_WAF,
  type IcbConfig,
  type IcbConfigInput,
  type SupplierClientConfig,
} from './types.ts';

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

const roles = ['gp', 'gp-other', 'acute', 'community', 'social-care', 'auditor'] as const;
// Fails to compile when a role is added to OrganisationRole and not here.
const everyRole: Record<OrganisationRole, true> = Object.fromEntries(roles.map((r) => [r, true])) as Record<
  (typeof roles)[number],
  true
>;

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
/**
 * The registry is baked into the token function's bundle through an esbuild `--define` argument, and Linux
 * caps one argument at 128 KiB; clients with a JWKS URL take a few hundred bytes each.
 */
export const MAX_CLIENT_REGISTRY_BYTES = 100_000;
/** `system/<Type|*>.<permissions>`: SMART v2 letters in order (`cruds`, `rs`), or v1 `read` / `write`. */
const SCOPE = /^system\/([A-Z][A-Za-z]{1,63}|\*)\.(c?r?u?d?s?|read|write)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HOST_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

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
  if (typeof input.alarmEmail !== 'string' || !EMAIL.test(input.alarmEmail)) {
    fail('alarmEmail', 'must be an e-mail address (alarms are sent to it)');
  }
  const breakGlassAlarmPerHour = input.breakGlassAlarmPerHour ?? DEFAULT_BREAK_GLASS_ALARM_PER_HOUR;
  if (!Number.isInteger(breakGlassAlarmPerHour) || breakGlassAlarmPerHour < 1) {
    fail('breakGlassAlarmPerHour', 'must be a whole number of break-glass uses an hour, at least 1');
  }

  validateOrganisations(input, fail);
  validateSupplierClients(input, fail);
  if (input.customDomain !== undefined) validateCustomDomain(input.customDomain, region, fail);
  const waf = { ...DEFAULT_WAF, ...input.waf };
  if (typeof waf.enabled !== 'boolean') fail('waf.enabled', 'must be true or false');
  if (!Number.isInteger(waf.rateLimitPer5Minutes) || waf.rateLimitPer5Minutes < 100) {
    fail(
      'waf.rateLimitPer5Minutes',
      'must be a whole number of requests, at least 100 (WAF accepts no fewer)',
    );
  }

  (input.viewerFrameAncestors ?? []).forEach((origin, i) => {
    // An origin only (scheme, host, optional port): a CSP source with a path or wildcard would frame too much.
    if (!/^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      fail(`viewerFrameAncestors[${i}]`, 'must be an https origin such as https://epr.example-trust.nhs.uk');
    }
  });

  const config: IcbConfig = { ...input, region, waf, breakGlassAlarmPerHour };
  const registryBytes = JSON.stringify(clientRegistry(config)).length;
  if (registryBytes > MAX_CLIENT_REGISTRY_BYTES) {
    fail(
      'supplierClients',
      `come to ${registryBytes} bytes of registry, more than ${MAX_CLIENT_REGISTRY_BYTES}: give clients a jwksUrl instead of inline publicKeys`,
    );
  }
  return config;
}

type Fail = (field: string, problem: string) => never;

function validateOrganisations(input: IcbConfigInput, fail: Fail): void {
  if (!Array.isArray(input.organisations) || input.organisations.length === 0) {
    fail('organisations', 'must list at least one organisation');
  }
  const seen = new Set<string>();
  input.organisations.forEach((org, i) => {
    const field = `organisations[${i}]`;
    if (typeof org.odsCode !== 'string' || !isOdsCode(org.odsCode)) {
      fail(`${field}.odsCode`, 'must be an ODS code: 3 to 10 upper-case letters and digits (A81001, RX1)');
    }
    if (seen.has(org.odsCode)) fail(`${field}.odsCode`, `repeats ${org.odsCode}`);
    seen.add(org.odsCode);
    if (typeof org.name !== 'string' || org.name.trim() === '') fail(`${field}.name`, 'must not be empty');
    if (org.type !== undefined && !['prov', 'govt', 'other'].includes(org.type)) {
      fail(`${field}.type`, 'must be prov, govt or other (FHIR organization-type), or left out');
    }
  });
}

function validateSupplierClients(input: IcbConfigInput, fail: Fail): void {
  if (!Array.isArray(input.supplierClients)) fail('supplierClients', 'must be a list (it may be empty)');
  const organisations = new Set(input.organisations.map((o) => o.odsCode));
  const seen = new Set<string>();
  input.supplierClients.forEach((client, i) => {
    const field = `supplierClients[${i}]`;
    if (typeof client.clientId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(client.clientId)) {
      fail(`${field}.clientId`, 'must be 3 to 64 letters, digits, ".", "_" and "-"');
    }
    if (seen.has(client.clientId)) fail(`${field}.clientId`, `repeats ${client.clientId}`);
    seen.add(client.clientId);
    // The name travels inside the bundle and into audit records: printable text only.
    if (typeof client.name !== 'string' || !/^[\p{L}\p{N} .,'&()/-]{1,200}$/u.test(client.name)) {
      fail(`${field}.name`, "must be 1 to 200 letters, digits, spaces and .,'&()/-");
    }
    if (!(client.role in everyRole)) fail(`${field}.role`, `must be one of ${roles.join(', ')}`);
    if (typeof client.odsCode !== 'string' || !isOdsCode(client.odsCode)) {
      fail(`${field}.odsCode`, 'must be an ODS code: 3 to 10 upper-case letters and digits');
    }
    if (!organisations.has(client.odsCode)) {
      fail(`${field}.odsCode`, `must be one of the organisations (${[...organisations].join(', ')})`);
    }
    if (!Array.isArray(client.scopes) || client.scopes.length === 0) {
      fail(`${field}.scopes`, 'must list at least one scope');
    }
    client.scopes.forEach((scope, j) => {
      if (typeof scope !== 'string' || !SCOPE.test(scope) || scope.endsWith('.')) {
        fail(
          `${field}.scopes[${j}]`,
          'must be system/<Type|*>.<cruds>, e.g. system/*.cruds or system/Patient.rs',
        );
      }
    });
    validateClientKeys(client, field, fail);
    if (client.throttle !== undefined) {
      const { rateLimit, burstLimit } = client.throttle;
      if (!(rateLimit > 0 && rateLimit <= 10_000)) {
        fail(`${field}.throttle.rateLimit`, 'must be requests per second, above 0 and at most 10000');
      }
      if (!Number.isInteger(burstLimit) || burstLimit < 1 || burstLimit > 5000) {
        fail(`${field}.throttle.burstLimit`, 'must be a whole number of requests, 1 to 5000');
      }
    }
  });
}

function validateClientKeys(client: SupplierClientConfig, field: string, fail: Fail): void {
  const inline = client.publicKeys !== undefined && client.publicKeys.length > 0;
  if (inline === (client.jwksUrl !== undefined)) {
    fail(field, 'must have either publicKeys (a non-empty list) or jwksUrl, not both');
  }
  if (client.jwksUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(client.jwksUrl);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') fail(`${field}.jwksUrl`, 'must be an https URL');
    return;
  }
  const kids = new Set<string>();
  (client.publicKeys as JWK[]).forEach((key, k) => {
    const keyField = `${field}.publicKeys[${k}]`;
    const secret = privateMembers.filter((m) => m in key);
    if (secret.length > 0) {
      fail(
        keyField,
        `is a private or secret key (has ${secret.join(', ')}): give the public key only, and treat this one as leaked`,
      );
    }
    const algorithms = algorithmsByKeyType[String(key.kty)];
    if (!algorithms) fail(`${keyField}.kty`, 'must be RSA or EC');
    if (typeof key.kid !== 'string' || key.kid === '') fail(`${keyField}.kid`, 'must be set');
    if (kids.has(key.kid as string)) fail(`${keyField}.kid`, `repeats ${key.kid}`);
    kids.add(key.kid as string);
    if (typeof key.alg !== 'string' || !algorithms?.includes(key.alg)) {
      fail(`${keyField}.alg`, `must be one of ${algorithms?.join(', ')} for a ${key.kty} key`);
    }
    if (key.use !== undefined && key.use !== 'sig') fail(`${keyField}.use`, 'must be sig, or left out');
    if (key.kty === 'RSA') {
      if (typeof key.n !== 'string' || key.n.length < MIN_RSA_MODULUS_CHARS || typeof key.e !== 'string') {
        fail(keyField, 'must be an RSA public key of at least 2048 bits (n and e)');
      }
    } else if (
      key.crv !== curveOf[key.alg as string] ||
      typeof key.x !== 'string' ||
      typeof key.y !== 'string'
    ) {
      fail(keyField, `must be an EC public key on ${curveOf[key.alg as string]} (crv, x and y)`);
    }
  });
}

function validateCustomDomain(
  domain: NonNullable<IcbConfigInput['customDomain']>,
  region: string,
  fail: Fail,
) {
  if (typeof domain.domainName !== 'string' || !HOST_NAME.test(domain.domainName)) {
    fail('customDomain.domainName', 'must be a lower-case DNS host name such as fhir.example-icb.nhs.uk');
  }
  const certificate = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(
    domain.certificateArn ?? '',
  );
  if (!certificate) fail('customDomain.certificateArn', 'must be an ACM certificate ARN');
  if (certificate?.[1] !== region) {
    fail(
      'customDomain.certificateArn',
      `must be in the deployment's region ${region}: a regional API needs it`,
    );
  }
  if (
    typeof domain.truststoreUri !== 'string' ||
    !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/.test(domain.truststoreUri)
  ) {
    fail('customDomain.truststoreUri', 'must be s3://<bucket>/<key> of a PEM bundle of the CAs to trust');
  }
  if (domain.truststoreVersion !== undefined && domain.truststoreVersion.trim() === '') {
    fail('customDomain.truststoreVersion', 'must be an S3 object version id, or left out');
  }
}
