import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { officialExample, ukPatient } from '../support/fixtures.ts';
import { beyondBaseR4 } from '../support/hl7-validator-cases.ts';
import { fhirFetch } from '../support/http.ts';
import { r4ResourceTypeNames, validInstance } from '../support/minimal-r4-instances.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { registerPatient } from '../support/registration.ts';

const VALIDATOR = join(import.meta.dirname, '../../../shared/fhir-test-cases/validator');

interface ManifestCase {
  name: string;
  file: string;
  valid: boolean;
}

/** Invalid cases beyond base R4, with reasons: the list the unit tests use. */
const EXCLUDED = new Set(Object.keys(beyondBaseR4));

/** Today's figure for invalid cases rejected over HTTP; the suite fails if it drops. */
const INVALID_REJECTED_FLOOR = 1;

function hasErrors(outcome: Record<string, unknown>): boolean {
  return ((outcome.issue ?? []) as { severity: string }[]).some(
    (i) => i.severity === 'error' || i.severity === 'fatal',
  );
}

describe("$validate over HL7's validator cases", () => {
  it('accepts every case HL7 finds valid and rejects the invalid ones it can judge, storing nothing', async () => {
    const { cases } = JSON.parse(readFileSync(join(VALIDATOR, 'manifest.json'), 'utf8')) as {
      cases: ManifestCase[];
    };
    const results = await Promise.all(
      cases.map(async (c) => {
        const resource = JSON.parse(readFileSync(join(VALIDATOR, c.file), 'utf8')) as {
          resourceType: string;
        };
        const response = await fhirFetch('gp', `/${resource.resourceType}/$validate`, {
          method: 'POST',
          body: resource,
        });
        expect(`${c.name} ${response.status}`).toBe(`${c.name} 200`);
        expect(response.body.resourceType).toBe('OperationOutcome');
        return { ...c, rejected: hasErrors(response.body) };
      }),
    );
    const valid = results.filter((r) => r.valid);
    const invalid = results.filter((r) => !r.valid && !EXCLUDED.has(r.name));
    const accepted = valid.filter((r) => !r.rejected).length;
    const rejected = invalid.filter((r) => r.rejected).length;
    console.log(
      `$validate: valid accepted ${accepted}/${valid.length}; invalid rejected ${rejected}/${invalid.length} (${EXCLUDED.size} excluded)`,
    );
    expect(valid.filter((r) => r.rejected).map((r) => r.name)).toEqual([]);
    expect(rejected / invalid.length).toBeGreaterThanOrEqual(INVALID_REJECTED_FLOOR);
  });

  it('answers every R4 resource type with a 200 OperationOutcome: valid accepted, a broken one refused', async () => {
    const answers = await Promise.all(
      r4ResourceTypeNames().map(async (type) => {
        const valid = await fhirFetch('gp', `/${type}/$validate`, {
          method: 'POST',
          body: validInstance(type),
        });
        const broken = await fhirFetch('gp', `/${type}/$validate`, {
          method: 'POST',
          body: { ...validInstance(type), favouriteColour: 'blue' },
        });
        return `${type} ${valid.status} ${hasErrors(valid.body)} ${broken.status} ${hasErrors(broken.body)}`;
      }),
    );

    expect(answers).toHaveLength(146);
    // Subscription/$validate is the Subscription API's, which adds its own rules (topic, channel endpoint).
    expect(
      answers.filter((a) => !/ 200 false 200 true$|^Subscription 200 (true|false) 200 true$/.test(a)),
    ).toEqual([]);
  });

  it('takes a Parameters with a resource part, and applies write rules with mode=create', async () => {
    const nhs = newNhsNumber();
    const condition = {
      ...officialExample('condition-example.json'),
      subject: { reference: `Patient/${nhs}` },
    };
    const general = await fhirFetch('gp', '/Condition/$validate', {
      method: 'POST',
      body: { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: condition }] },
    });
    expect(hasErrors(general.body)).toBe(false);
    const unregistered = await fhirFetch('gp', '/Condition/$validate?mode=create', {
      method: 'POST',
      body: condition,
    });
    expect(hasErrors(unregistered.body)).toBe(true);
    await registerPatient(nhs);
    const registered = await fhirFetch('gp', '/Condition/$validate?mode=create', {
      method: 'POST',
      body: condition,
    });
    expect(hasErrors(registered.body)).toBe(false);
    const search = await fhirFetch('gp', `/Condition?patient=Patient/${nhs}`);
    expect(search.body.total).toBe(0);
  });

  it('finds a wrong NHS check digit with mode=create on a Patient', async () => {
    const nhs = newNhsNumber();
    const bad = `${nhs.slice(0, 9)}${(Number(nhs[9]) + 1) % 10}`;
    const patient = ukPatient(bad);
    const response = await fhirFetch('gp', '/Patient/$validate?mode=create', {
      method: 'POST',
      body: patient,
    });
    expect(JSON.stringify(response.body)).toMatch(/check digit/);
  });
});
