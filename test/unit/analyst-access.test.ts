import { describe, expect, it } from 'vitest';
import { roleRefusal } from '#shared/access/analyst-access';

describe('only analysts export, and analysts only export (CONTRACT §8)', () => {
  it('lets an analyst call bulk export', () => {
    expect(roleRefusal('analyst', 'bulk-export')).toBeUndefined();
  });

  it.each(['fhir', 'documents', 'subscriptions', 'viewer'] as const)(
    'refuses an analyst the %s function',
    (fn) => {
      expect(roleRefusal('analyst', fn)).toMatch(/analyst client may only use bulk export/);
    },
  );

  it.each(['gp', 'acute', 'auditor', 'gp-system'] as const)('refuses the %s role bulk export', (role) => {
    expect(roleRefusal(role, 'bulk-export')).toMatch(/analysts only/);
  });

  it('leaves every other role to the usual rules', () => {
    expect(roleRefusal('gp', 'fhir')).toBeUndefined();
  });
});
