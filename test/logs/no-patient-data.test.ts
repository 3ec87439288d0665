import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { officialExample } from '../support/fixtures.ts';
import { SANDBOX_LOG } from '../support/global-setup.ts';
import { rememberedPatientDetails } from '../support/test-patients.ts';

/** Identifying details of the patients the sandbox seeds and the official examples the tests store. */
function fixedPatientDetails(): string[] {
  const example = officialExample('patient-example.json') as {
    name: { family?: string; given?: string[] }[];
    birthDate: string;
    address: { line?: string[]; postalCode?: string }[];
  };
  return [
    '9000000009',
    '9000000017',
    'Jane',
    'John',
    '1968-04-12',
    '1954-11-30',
    example.birthDate,
    ...example.name.flatMap((n) => [n.family ?? '', ...(n.given ?? [])]).filter((v) => v.length > 3),
    ...example.address.flatMap((a) => [...(a.line ?? []), a.postalCode ?? '']).filter(Boolean),
  ];
}

describe('no patient data in logs (run after every other test)', () => {
  it('finds no NHS number, name, birth date or address of any test patient in what the sandbox logged', () => {
    const log = readFileSync(SANDBOX_LOG, 'utf8');
    // Four characters or fewer (the example's postcode 3999) turn up by chance inside request ids and timestamps.
    const details = [...rememberedPatientDetails(), ...fixedPatientDetails()].filter((d) => d.length > 4);
    expect(details.length).toBeGreaterThan(10);
    expect(log.split('\n').length).toBeGreaterThan(10);
    const leaked = details.filter((d) => log.includes(d));
    expect(leaked).toEqual([]);
  });
});
