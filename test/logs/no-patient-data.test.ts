import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { officialExample } from '../support/fixtures.ts';
import { sandboxRuns } from '../support/global-setup.ts';

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

/** Every identifying value the tests of one sandbox gave patients in this run. */
function rememberedPatientDetails(patientsFile: string): string[] {
  return existsSync(patientsFile)
    ? [...new Set(readFileSync(patientsFile, 'utf8').split('\n').filter(Boolean))]
    : [];
}

describe('no patient data in logs (run after every other test)', () => {
  it.each(sandboxRuns())(
    'finds no NHS number, name, birth date or address of any test patient in what the $project sandbox logged',
    ({ logFile, patientsFile }) => {
      const log = readFileSync(logFile, 'utf8');
      // Four characters or fewer (the example's postcode 3999) turn up by chance inside request ids and timestamps.
      const details = [...rememberedPatientDetails(patientsFile), ...fixedPatientDetails()].filter(
        (d) => d.length > 4,
      );
      expect(details.length).toBeGreaterThan(10);
      expect(log.split('\n').length).toBeGreaterThan(10);
      const leaked = details.filter((d) => log.includes(d));
      expect(leaked).toEqual([]);
    },
  );
});
