import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { clientRegistry } from '#infra/config/client-registry';
import { configReference } from '#infra/config/config-reference';
import { exampleIcb } from '#infra/config/example-icb';
import { icbConfig, icbs } from '#infra/config/icbs';
import {
  DEFAULT_REGION,
  DEFAULT_WAF,
  type IcbConfigInput,
  type SupplierClientConfig,
} from '#infra/config/types';
import { IcbConfigError, validateIcbConfig } from '#infra/config/validate';
import { buildApp, stackName } from '#infra/stack';

const gpClient = exampleIcb.supplierClients[0] as SupplierClientConfig;
const rsaKey = gpClient.publicKeys?.[0] as NonNullable<SupplierClientConfig['publicKeys']>[number];
const withClient = (change: Partial<SupplierClientConfig>): Partial<IcbConfigInput> => ({
  supplierClients: [{ ...gpClient, ...change }],
});

describe('ICB config', () => {
  it.each(Object.keys(icbs))('accepts the example ICB %s', (name) => {
    expect(icbConfig(name)).toMatchObject({ name, region: 'eu-west-2' });
  });

  it('defaults the region to London, the WAF to on and the break-glass alarm to 5 an hour', () => {
    const { region: _, waf: __, ...withoutDefaults } = exampleIcb;

    const config = validateIcbConfig(withoutDefaults);

    expect(config.region).toBe(DEFAULT_REGION);
    expect(config.waf).toEqual(DEFAULT_WAF);
    expect(config.breakGlassAlarmPerHour).toBe(5);
    expect(config.relationshipGraceDays).toBe(30);
    expect(config.relationshipStartedAlarmPerHour).toBe(50);
    expect(config.export).toEqual({ identifiedPurposes: [], fileRetentionDays: 7 });
  });

  it('knows the analyst role, and the example ICB registers an analyst client', () => {
    const config = icbConfig('example-icb');

    expect(config.supplierClients.filter((c) => c.role === 'analyst').map((c) => c.scopes)).toEqual([
      ['system/*.read'],
    ]);
  });

  it('takes the purposes an identified export may name, with their descriptions', () => {
    const purposes = [{ code: 'invoice-validation', description: 'Invoice validation under section 251' }];

    const config = validateIcbConfig({ ...exampleIcb, export: { identifiedPurposes: purposes } });

    expect(config.export).toEqual({ identifiedPurposes: purposes, fileRetentionDays: 7 });
  });

  it.each([
    ['name', { name: 'Example ICB' }],
    ['stage', { stage: 'Production' }],
    ['account', { account: '1234' }],
    ['region', { region: 'london' }],
    ['safeguardingCodes\\[0\\]', { safeguardingCodes: ['not-a-code'] }],
    ['relationshipGraceDays', { relationshipGraceDays: -1 }],
    ['relationshipStartedAlarmPerHour', { relationshipStartedAlarmPerHour: 0 }],
    ['logRetentionDays', { logRetentionDays: 100 }],
    ['auditRetentionDays', { auditRetentionDays: 0 }],
    ['alarmEmail', { alarmEmail: 'ops team' }],
    ['breakGlassAlarmPerHour', { breakGlassAlarmPerHour: 0 }],
    ['organisations', { organisations: [] }],
    [
      'organisations\\[1\\]\\.odsCode',
      {
        organisations: [
          { odsCode: 'A81001', name: 'A' },
          { odsCode: 'rx1', name: 'B' },
        ],
      },
    ],
    [
      'organisations\\[1\\]\\.odsCode',
      {
        organisations: [
          { odsCode: 'A81001', name: 'A' },
          { odsCode: 'A81001', name: 'B' },
        ],
      },
    ],
    ['supplierClients\\[0\\]\\.clientId', withClient({ clientId: 'has spaces' })],
    ['supplierClients\\[0\\]\\.role', withClient({ role: 'dentist' as never })],
    ['supplierClients\\[0\\]\\.organisations\\[0\\]', withClient({ organisations: ['Z99'] })],
    ['supplierClients\\[0\\]\\.organisations', withClient({ organisations: [] })],
    ['supplierClients\\[0\\]\\.scopes', withClient({ scopes: [] })],
    [
      'supplierClients\\[0\\]\\.scopes\\[1\\]',
      withClient({ scopes: ['system/*.cruds', 'user/Patient.read'] }),
    ],
    ['supplierClients\\[0\\]\\.scopes\\[0\\]', withClient({ scopes: ['system/Patient.sr'] })],
    ['supplierClients\\[0\\]', withClient({ publicKeys: [], jwksUrl: undefined })],
    ['supplierClients\\[0\\]', withClient({ jwksUrl: 'https://keys.example/jwks.json' })],
    [
      'supplierClients\\[0\\]\\.jwksUrl',
      withClient({ publicKeys: undefined, jwksUrl: 'http://keys.example/jwks' }),
    ],
    [
      'supplierClients\\[0\\]\\.publicKeys\\[0\\]',
      withClient({ publicKeys: [{ ...rsaKey, d: 'secret', p: 'p' }] }),
    ],
    [
      'supplierClients\\[0\\]\\.publicKeys\\[0\\]',
      withClient({ publicKeys: [{ kty: 'oct', k: 'c2VjcmV0' }] }),
    ],
    [
      'supplierClients\\[0\\]\\.publicKeys\\[0\\]\\.kid',
      withClient({ publicKeys: [{ ...rsaKey, kid: undefined }] }),
    ],
    [
      'supplierClients\\[0\\]\\.publicKeys\\[0\\]\\.alg',
      withClient({ publicKeys: [{ ...rsaKey, alg: 'ES256' }] }),
    ],
    ['supplierClients\\[0\\]\\.publicKeys\\[0\\]', withClient({ publicKeys: [{ ...rsaKey, n: 'c2hvcnQ' }] })],
    [
      'supplierClients\\[0\\]\\.throttle\\.burstLimit',
      withClient({ throttle: { rateLimit: 10, burstLimit: 0 } }),
    ],
    ['customDomain\\.domainName', { customDomain: { ...customDomain(), domainName: 'FHIR_host' } }],
    [
      'customDomain\\.certificateArn',
      { customDomain: { ...customDomain(), certificateArn: 'arn:aws:iam::1:x' } },
    ],
    [
      'customDomain\\.certificateArn',
      {
        customDomain: {
          ...customDomain(),
          certificateArn: customDomain().certificateArn.replace('eu-west-2', 'us-east-1'),
        },
      },
    ],
    [
      'customDomain\\.truststoreUri',
      { customDomain: { ...customDomain(), truststoreUri: 'https://bucket/cas.pem' } },
    ],
    ['waf\\.rateLimitPer5Minutes', { waf: { enabled: true, rateLimitPer5Minutes: 10 } }],
    ['export\\.fileRetentionDays', { export: { fileRetentionDays: 0 } }],
    ['export\\.fileRetentionDays', { export: { fileRetentionDays: 90 } }],
    [
      'export\\.identifiedPurposes\\[0\\]\\.code',
      { export: { identifiedPurposes: [{ code: 'has spaces', description: 'x' }] } },
    ],
    [
      'export\\.identifiedPurposes\\[0\\]\\.description',
      { export: { identifiedPurposes: [{ code: 'audit', description: ' ' }] } },
    ],
    [
      'export\\.identifiedPurposes',
      {
        export: {
          identifiedPurposes: [
            { code: 'audit', description: 'a' },
            { code: 'audit', description: 'b' },
          ],
        },
      },
    ],
    ['export\\.identifiedPurpose', { export: { identifiedPurpose: [] } }],
  ])('names the field when %s is wrong', (field, change) => {
    const act = () => validateIcbConfig({ ...exampleIcb, ...(change as Partial<IcbConfigInput>) });

    expect(act).toThrow(IcbConfigError);
    expect(act).toThrow(new RegExp(`^ICB config "[^"]+": ${field} `));
  });

  it('refuses a private key in the config and says to treat it as leaked', () => {
    const act = () =>
      validateIcbConfig({ ...exampleIcb, ...withClient({ publicKeys: [{ ...rsaKey, d: 'x' }] }) });

    expect(act).toThrow(/private or secret key \(has d\).*leaked/);
  });

  it('refuses a client registry too big for its one table item, pointing to JWKS URLs', () => {
    const many = Array.from({ length: 600 }, (_, i) => ({ ...gpClient, clientId: `gp-system-${i}` }));

    expect(() => validateIcbConfig({ ...exampleIcb, supplierClients: many })).toThrow(
      /supplierClients come to \d+ bytes of registry.*jwksUrl/,
    );
  });

  it('gives the token function public keys or a JWKS URL per client, and no throttling settings', () => {
    const registry = clientRegistry(icbConfig('example-icb'));

    expect(registry.map((c) => c.clientId)).toEqual(exampleIcb.supplierClients.map((c) => c.clientId));
    for (const client of registry) {
      expect(client).not.toHaveProperty('throttle');
      expect(client.publicKeys.length > 0 || client.jwksUrl?.startsWith('https://')).toBe(true);
    }
  });

  it('lists the known ICBs when asked for an unknown one', () => {
    expect(() => icbConfig('nowhere')).toThrow(/Unknown ICB "nowhere".*example-icb/);
  });

  it('fails the app, before building anything, for an unknown -c icb', () => {
    expect(() => buildApp({ context: { icb: 'nowhere' } })).toThrow(/Unknown ICB "nowhere"/);
  });

  it('fails the app, as `cdk synth -c icb=<name>` runs it, naming the field of an invalid ICB file', () => {
    icbs['broken-icb'] = { ...exampleIcb, name: 'broken-icb', alarmEmail: 'nobody' };
    try {
      const act = () => buildApp({ context: { icb: 'broken-icb' } });

      expect(act).toThrow(IcbConfigError);
      expect(act).toThrow(/^ICB config "broken-icb": alarmEmail must be an e-mail address/);
    } finally {
      delete icbs['broken-icb'];
    }
  });

  describe('refuses each kind of silent mistake with the path of the wrong key, in one short message', () => {
    const mistakes: [string, Record<string, unknown>, RegExp][] = [
      [
        'a misspelt optional field (waf.enable for enabled)',
        { waf: { enable: false } },
        /^ICB config "[^"]+": waf\.enable is not a known key: did you mean "enabled"\?$/,
      ],
      [
        'a wrongly cased top-level key (customdomain for customDomain)',
        { customdomain: customDomain() },
        /^ICB config "[^"]+": customdomain is not a known key: did you mean "customDomain"\?$/,
      ],
      [
        'an unknown key deep inside a supplier system',
        withClient({ throttle: { rateLimit: 10, burstLimt: 20 } as never }),
        /^ICB config "[^"]+": supplierClients\[0\]\.throttle\.burstLimt is not a known key: did you mean "burstLimit"\?$/m,
      ],
      [
        'a scope naming a misspelt type',
        withClient({ scopes: ['system/Patinet.rs'] }),
        /^ICB config "[^"]+": supplierClients\[0\]\.scopes\[0\] names Patinet, which the API does not serve: did you mean Patient\?$/,
      ],
      [
        'a scope naming a type the API does not serve',
        withClient({ scopes: ['system/NutritionOrder.rs'] }),
        /^ICB config "[^"]+": supplierClients\[0\]\.scopes\[0\] names NutritionOrder, which the API does not serve$/,
      ],
      [
        'a supplier system acting for an organisation not listed',
        withClient({ organisations: ['A81001', 'Y12345'] }),
        /^ICB config "[^"]+": supplierClients\[0\]\.organisations\[1\] must be one of the organisations; Y12345 is not listed$/,
      ],
    ];
    it.each(mistakes)('%s', (_, change, message) => {
      icbs['mistaken-icb'] = { ...exampleIcb, name: 'mistaken-icb', ...change } as IcbConfigInput;
      try {
        const act = () => buildApp({ context: { icb: 'mistaken-icb' } });

        expect(act).toThrow(IcbConfigError);
        expect(act).toThrow(message);
        expect(() => act()).toThrow(
          expect.objectContaining({ message: expect.not.stringMatching(/(\n.*){3}/) }),
        );
      } finally {
        delete icbs['mistaken-icb'];
      }
    });

    it('needs -c icb when there is more than one ICB, naming them', () => {
      expect(Object.keys(icbs).length).toBeGreaterThan(1);
      expect(() => buildApp({})).toThrow(
        /^Name the ICB to synthesise: -c icb=<name>, one of example-icb, example-prod-icb$/,
      );
    });

    it('prints one short block, no stack trace, when cdk synth runs the app on a broken config', () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ icb: 'nowhere' }), CDK_OUTDIR: tmpdir() },
        encoding: 'utf8',
      });

      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        'Unknown ICB "nowhere" (-c icb=nowhere): known ICBs are example-icb, example-prod-icb',
      );
    });
  });

  it('has its reference page, docs/CONFIG.md, written from the schema and up to date', () => {
    const committed = readFileSync(new URL('../../docs/CONFIG.md', import.meta.url), 'utf8');

    expect(committed, 'run npx tsx scripts/config-docs.ts').toBe(configReference());
    for (const field of ['supplierClients[]', 'waf', 'customDomain', 'organisations[]']) {
      expect(committed).toContain(`## \`${field}\``);
    }
    expect(committed).toContain('| `enabled` | boolean | no | `true` |');
  });

  it('names the stack after the ICB and stage', () => {
    expect(stackName(icbConfig('example-icb'))).toBe('SharedCareRecord-example-icb-dev');
  });
});

function customDomain() {
  return {
    domainName: 'fhir.example-icb.nhs.uk',
    certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/0f6d2b8e-3c1a-4e7f-9b2d-5a8c7e6f4d3b',
    truststoreUri: 's3://example-truststore/cas.pem',
  };
}
