import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IcbRegistry } from '#infra/config/types';

/** `npm run icb -- ...` on a copy of example-icb's registry, as an ICB engineer runs it. */
const dir = mkdtempSync(join(tmpdir(), 'scr-icb-commands-'));
const icb = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/icb.ts', ...args, '--icb', 'example-icb', '--dir', dir],
    {
      encoding: 'utf8',
    },
  );
const registry = () =>
  JSON.parse(readFileSync(join(dir, 'example-icb.registry.json'), 'utf8')) as IcbRegistry;
const supplier = (clientId: string) => registry().supplierClients.find((s) => s.clientId === clientId);

async function publicKeyPem(file: string) {
  const { publicKey } = await generateKeyPair('RS512', { modulusLength: 2048, extractable: true });
  writeFileSync(join(dir, file), await exportSPKI(publicKey));
  return exportJWK(publicKey);
}

beforeAll(() =>
  copyFileSync('infra/config/example-icb.registry.json', join(dir, 'example-icb.registry.json')),
);

describe('the onboarding commands (npm run icb)', () => {
  it('adds a practice and lets a GP system act for it', () => {
    const run = icb(
      'add-organisation',
      '--ods',
      'A81005',
      '--name',
      'Brookside Surgery',
      '--supplier',
      'riverside-gp-system',
    );

    expect(run.status, run.stderr).toBe(0);
    expect(registry().organisations).toContainEqual({ odsCode: 'A81005', name: 'Brookside Surgery' });
    expect(supplier('riverside-gp-system')?.organisations).toEqual(['A81001', 'A81005']);
  });

  it('adds a supplier system from a PEM public key, converted to a JWK with its kid and alg', async () => {
    const expected = await publicKeyPem('supplier.pem');
    const run = icb(
      'add-supplier',
      ...['--client-id', 'brookside-gp-system', '--name', 'Brookside GP system', '--role', 'gp-system'],
      ...['--organisations', 'A81001,A81005', '--pem', join(dir, 'supplier.pem'), '--kid', 'brookside-1'],
    );

    expect(run.status, run.stderr).toBe(0);
    expect(supplier('brookside-gp-system')).toEqual({
      clientId: 'brookside-gp-system',
      name: 'Brookside GP system',
      role: 'gp-system',
      organisations: ['A81001', 'A81005'],
      scopes: ['system/*.cruds'],
      publicKeys: [
        { kty: 'RSA', n: expected.n, e: expected.e, kid: 'brookside-1', alg: 'RS512', use: 'sig' },
      ],
    });
  });

  it("rotates a supplier's key, and removes a supplier", async () => {
    const next = await publicKeyPem('next.pem');
    const rotated = icb(
      'rotate-key',
      '--client-id',
      'brookside-gp-system',
      '--pem',
      join(dir, 'next.pem'),
      '--kid',
      'brookside-2',
    );
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(supplier('brookside-gp-system')?.publicKeys).toEqual([
      { kty: 'RSA', n: next.n, e: next.e, kid: 'brookside-2', alg: 'RS512', use: 'sig' },
    ]);

    const removed = icb('remove-supplier', '--client-id', 'brookside-gp-system');
    expect(removed.status, removed.stderr).toBe(0);
    expect(supplier('brookside-gp-system')).toBeUndefined();
  });

  it('refuses a change the config would refuse, naming the field, and leaves the file as it was', () => {
    const before = readFileSync(join(dir, 'example-icb.registry.json'), 'utf8');
    // The new system would be appended after the registry's own.
    const index = registry().supplierClients.length;
    const run = icb(
      'add-supplier',
      ...['--client-id', 'stray-system', '--name', 'Stray', '--role', 'acute', '--organisations', 'Y00001'],
      ...['--jwks-url', 'https://keys.stray.example/jwks.json'],
    );

    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `ICB config "example-icb": supplierClients[${index}].organisations[0] must be one of the organisations; Y00001 is not listed`,
    );
    expect(readFileSync(join(dir, 'example-icb.registry.json'), 'utf8')).toBe(before);
  });

  it('says how each command is used with --help', () => {
    for (const command of ['add-organisation', 'add-supplier', 'remove-supplier', 'rotate-key']) {
      const run = icb(command, '--help');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`npm run icb -- ${command} --icb <icb>`);
    }
  });
});
