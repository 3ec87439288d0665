import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { IcbSelectionError, selectIcb } from '#infra/config/icbs';
import {
  addOrganisation,
  addSupplier,
  jwkFromPem,
  readRegistry,
  registryPath,
  removeSupplier,
  rotateKey,
  writeRegistry,
} from '#infra/config/registry-changes';
import { organisationRoles } from '#infra/config/types';
import { IcbConfigError } from '#infra/config/validate';
import { optOutCommand, optOutUsage } from './opt-out.ts';

/**
 * `npm run icb -- <command> [options]`: onboarding changes to an ICB's registry
 * (`infra/config/<icb>.registry.json`), each checked against the whole config before the file is written.
 */
const usage: Record<string, string> = {
  'add-organisation': `npm run icb -- add-organisation --icb <icb> --ods <ODS code> --name <name> [--type prov|govt|other] [--supplier <client id>]
  Adds an organisation (it becomes an Organization at its ODS code on the next deployment). With --supplier,
  that supplier system may act for it too (a practice joining a GP system).`,
  'add-supplier': `npm run icb -- add-supplier --icb <icb> --client-id <id> --name <name> --role <${organisationRoles.join('|')}>
    --organisations <ODS,ODS,...> [--scopes "system/*.cruds"] (--pem <public key file> --kid <key id> [--alg RS512] | --jwks-url <https URL>)
  Registers a supplier system acting for the given organisations, with its public key from a PEM file (converted
  to a JWK here) or the JWKS URL it publishes its keys at.`,
  'remove-supplier': `npm run icb -- remove-supplier --icb <icb> --client-id <id>
  Removes a supplier system: after the deployment, its token requests and live tokens are refused within 60 s.`,
  'rotate-key': `npm run icb -- rotate-key --icb <icb> --client-id <id> --pem <public key file> --kid <key id> [--alg RS512] [--keep-old]
  Gives a supplier system a new public key; with --keep-old the old keys keep working until the next rotation.`,
};

const options = {
  icb: { type: 'string' },
  ods: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  supplier: { type: 'string' },
  'client-id': { type: 'string' },
  role: { type: 'string' },
  organisations: { type: 'string' },
  scopes: { type: 'string' },
  pem: { type: 'string' },
  kid: { type: 'string' },
  alg: { type: 'string' },
  'jwks-url': { type: 'string' },
  'keep-old': { type: 'boolean' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<string> {
  // The opt-out register is data in the deployment's table, not config: its own module and options.
  if (argv[0] === 'opt-out') return optOutCommand(argv);
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const command = positionals[0];
  if (!command || !(command in usage)) {
    if (values.help || !command) return `Commands:\n\n${[...Object.values(usage), optOutUsage].join('\n\n')}`;
    throw new UsageError(`Unknown command "${command}": one of ${Object.keys(usage).join(', ')}`);
  }
  if (values.help) return usage[command] as string;
  const need = (name: keyof typeof values): string => {
    const value = values[name];
    if (typeof value !== 'string' || value === '')
      throw new UsageError(`--${name} is required\n\n${usage[command]}`);
    return value;
  };
  const icb = selectIcb(values.icb);
  const dir = values.dir;
  const registry = readRegistry(icb, dir);
  let next = registry;
  if (command === 'add-organisation') {
    const type = values.type as 'prov' | 'govt' | 'other' | undefined;
    next = addOrganisation(
      registry,
      { odsCode: need('ods'), name: need('name'), ...(type ? { type } : {}) },
      values.supplier,
    );
  } else if (command === 'add-supplier') {
    const keys = values.pem
      ? {
          publicKeys: [
            await jwkFromPem(readFileSync(values.pem, 'utf8'), values.alg ?? 'RS512', need('kid')),
          ],
        }
      : { jwksUrl: need('jwks-url') };
    next = addSupplier(registry, {
      clientId: need('client-id'),
      name: need('name'),
      role: need('role') as (typeof organisationRoles)[number],
      organisations: need('organisations')
        .split(',')
        .map((o) => o.trim()),
      scopes: (values.scopes ?? 'system/*.cruds').split(/[ ,]+/).filter(Boolean),
      ...keys,
    } as Parameters<typeof addSupplier>[1]);
  } else if (command === 'remove-supplier') {
    next = removeSupplier(registry, need('client-id'));
  } else {
    const key = await jwkFromPem(readFileSync(need('pem'), 'utf8'), values.alg ?? 'RS512', need('kid'));
    next = rotateKey(registry, need('client-id'), key, values['keep-old'] ?? false);
  }
  writeRegistry(icb, next, dir);
  return `Wrote ${registryPath(icb, dir)}. Deploy it with: npx cdk deploy -c icb=${icb} (only the registry changes; the functions are not redeployed)`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (message) => console.log(message),
  (e: Error) => {
    // Mistakes are the engineer's to fix: one short message, no stack trace.
    const known = e instanceof UsageError || e instanceof IcbConfigError || e instanceof IcbSelectionError;
    console.error(known || e.name === 'Error' || e.name === 'TypeError' ? e.message : String(e));
    process.exitCode = 1;
  },
);
