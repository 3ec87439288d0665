import { describe, expect, it } from 'vitest';
import { exampleIcb } from '#infra/config/example-icb';
import { icbConfig } from '#infra/config/icbs';
import { DEFAULT_REGION } from '#infra/config/types';
import { IcbConfigError, validateIcbConfig } from '#infra/config/validate';
import { buildApp, stackName } from '#infra/stack';

describe('ICB config', () => {
  it('accepts the example ICB', () => {
    expect(icbConfig('example-icb')).toMatchObject({ name: 'example-icb', region: 'eu-west-2' });
  });

  it('defaults the region to London', () => {
    const { region: _, ...withoutRegion } = exampleIcb;

    expect(validateIcbConfig(withoutRegion).region).toBe(DEFAULT_REGION);
  });

  it.each([
    ['name', { name: 'Example ICB' }],
    ['stage', { stage: 'Production' }],
    ['account', { account: '1234' }],
    ['region', { region: 'london' }],
    ['safeguardingCodes', { safeguardingCodes: ['not-a-code'] }],
    ['logRetentionDays', { logRetentionDays: 100 }],
    ['auditRetentionDays', { auditRetentionDays: 0 }],
  ])('names the field when %s is wrong', (field, change) => {
    const act = () => validateIcbConfig({ ...exampleIcb, ...change });

    expect(act).toThrow(IcbConfigError);
    expect(act).toThrow(new RegExp(`^ICB config "[^"]+": ${field} `));
  });

  it('lists the known ICBs when asked for an unknown one', () => {
    expect(() => icbConfig('nowhere')).toThrow(/Unknown ICB "nowhere".*example-icb/);
  });

  it('fails the app, before building anything, for an unknown -c icb', () => {
    expect(() => buildApp({ context: { icb: 'nowhere' } })).toThrow(/Unknown ICB "nowhere"/);
  });

  it('names the stack after the ICB and stage', () => {
    expect(stackName(icbConfig('example-icb'))).toBe('SharedCareRecord-example-icb-dev');
  });
});
