import type * as z from 'zod';
import { clientRegistry } from './client-registry.ts';
import { type IcbConfig, type IcbConfigInput, icbConfigSchema } from './types.ts';

/** What is wrong with an ICB file: one line per problem, each naming the ICB and the path of the field. */
export class IcbConfigError extends Error {
  constructor(
    readonly icb: string,
    readonly problems: { field: string; problem: string }[],
  ) {
    super(problems.map(({ field, problem }) => `ICB config "${icb}": ${field} ${problem}`).join('\n'));
    this.name = 'IcbConfigError';
  }

  /** The path of the first wrong field (`waf.enable`, `supplierClients[0].scopes[1]`). */
  get field(): string {
    return this.problems[0]?.field ?? '';
  }
}

/**
 * The registry is one record-table item (`shared/access/supplier-registry.ts`), and DynamoDB caps an item at
 * 400 KB: about 400 systems with inline keys, more with JWKS URLs.
 */
export const MAX_CLIENT_REGISTRY_BYTES = 350_000;
/** At most this many problems are printed: the first ones are enough to start fixing. */
const MAX_PROBLEMS = 8;

/**
 * Checks an ICB file against the schema (`types.ts`, strict: an unknown key anywhere is an error) and the rules
 * between fields, and fills in defaults, so a typo fails `cdk synth` with the field's path rather than being
 * ignored or failing half-way through a deployment.
 *
 * @example validateIcbConfig({ name: 'example-icb', stage: 'dev', ... }).region // 'eu-west-2'
 */
export function validateIcbConfig(input: IcbConfigInput): IcbConfig {
  const raw = input as { name?: unknown };
  const icb = typeof raw.name === 'string' && raw.name !== '' ? raw.name : '(unnamed)';
  const parsed = icbConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new IcbConfigError(icb, parsed.error.issues.slice(0, MAX_PROBLEMS).map(problemOf));
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new IcbConfigError(icb, problems.slice(0, MAX_PROBLEMS));
  return parsed.data;
}

function problemOf(issue: z.core.$ZodIssue): { field: string; problem: string } {
  const path = [...issue.path];
  // An unknown key's path is the key itself, so the message points at the typo.
  if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) path.push(issue.keys[0] as string);
  let problem = issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) problem = 'is required';
  return { field: fieldPath(path) || '(the file)', problem };
}

/** `supplierClients[0].scopes[1]` from zod's path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** What the schema cannot see field by field: repeats, references between lists, and sizes. */
function crossFieldProblems(config: IcbConfig): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  const fail = (field: string, problem: string) => problems.push({ field, problem });

  const organisations = new Set<string>();
  config.organisations.forEach((org, i) => {
    if (organisations.has(org.odsCode)) fail(`organisations[${i}].odsCode`, `repeats ${org.odsCode}`);
    organisations.add(org.odsCode);
  });
  const clientIds = new Set<string>();
  config.supplierClients.forEach((client, i) => {
    const field = `supplierClients[${i}]`;
    if (clientIds.has(client.clientId)) fail(`${field}.clientId`, `repeats ${client.clientId}`);
    clientIds.add(client.clientId);
    client.organisations.forEach((ods, j) => {
      if (!organisations.has(ods)) {
        fail(`${field}.organisations[${j}]`, `must be one of the organisations; ${ods} is not listed`);
      }
      if (client.organisations.indexOf(ods) !== j) fail(`${field}.organisations[${j}]`, `repeats ${ods}`);
    });
    const inline = client.publicKeys !== undefined && client.publicKeys.length > 0;
    if (inline === (client.jwksUrl !== undefined)) {
      fail(field, 'must have either publicKeys (a non-empty list) or jwksUrl, not both');
    }
    const kids = new Set<string>();
    client.publicKeys?.forEach((key, k) => {
      if (key.kid !== undefined && kids.has(key.kid))
        fail(`${field}.publicKeys[${k}].kid`, `repeats ${key.kid}`);
      if (key.kid !== undefined) kids.add(key.kid);
    });
  });
  const domain = config.customDomain;
  if (domain && domain.certificateArn.split(':')[3] !== config.region) {
    fail(
      'customDomain.certificateArn',
      `must be in the deployment's region ${config.region}: a regional API needs it`,
    );
  }
  const registryBytes = JSON.stringify(clientRegistry(config)).length;
  if (registryBytes > MAX_CLIENT_REGISTRY_BYTES) {
    fail(
      'supplierClients',
      `come to ${registryBytes} bytes of registry, more than ${MAX_CLIENT_REGISTRY_BYTES}: give clients a jwksUrl instead of inline publicKeys`,
    );
  }
  return problems;
}
