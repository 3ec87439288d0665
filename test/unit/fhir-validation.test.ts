import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Issue } from '#shared/fhir/operation-outcome';
import { validateResource } from '#shared/fhir/validation/validate-resource';
import { officialExample } from '../support/fixtures.ts';
import { beyondBaseR4, hl7ValidatorCases } from '../support/hl7-validator-cases.ts';

const testCases = join(import.meta.dirname, '../../../shared/fhir-test-cases');

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function errors(issues: Issue[]): Issue[] {
  return issues.filter((i) => (i.severity ?? 'error') === 'error');
}

/** The single error a broken resource gets, for tests that break one thing. */
function onlyError(resource: unknown): Issue {
  const found = errors(validateResource(resource));
  expect(found, JSON.stringify(found, null, 1)).toHaveLength(1);
  return found[0] as Issue;
}

/** An extension holding another, `levels` deep, the innermost with a value. */
function nestedExtension(levels: number): Record<string, unknown> {
  let extension: Record<string, unknown> = { url: 'https://example.org/leaf', valueString: 'leaf' };
  for (let i = 1; i < levels; i++) extension = { url: 'https://example.org/branch', extension: [extension] };
  return extension;
}

describe('validateResource on HL7 R4 examples', () => {
  const files = readdirSync(join(testCases, 'examples')).filter((f) => f.endsWith('.json'));

  it.each(files)('accepts %s with no error', (file) => {
    const resource = officialExample(file);

    const found = errors(validateResource(resource));

    expect(found).toEqual([]);
  });
});

/** The share of judged invalid cases rejected: all of them, as of this change. */
const invalidRejectedFloor = 1;

describe("validateResource against HL7's validator test cases", () => {
  const cases = hl7ValidatorCases().map((c) => {
    const found = errors(validateResource(c.resource));
    return { ...c, rejected: found.length > 0, found };
  });
  const valid = cases.filter((c) => c.valid);
  const invalid = cases.filter((c) => !c.valid && !(c.name in beyondBaseR4));

  it.each(valid.map((c) => [c.name, c] as const))('accepts %s, which HL7 finds valid', (_name, c) => {
    expect(c.found).toEqual([]);
  });

  it('rejects the invalid cases it can judge, and prints the figures', () => {
    const accepted = valid.filter((c) => !c.rejected).length;
    const rejected = invalid.filter((c) => c.rejected).length;
    const rejectedExcluded = cases.filter((c) => c.name in beyondBaseR4 && c.rejected).length;
    console.log(
      [
        `valid accepted: ${accepted}/${valid.length}`,
        `invalid rejected: ${rejected}/${invalid.length}`,
        `excluded: ${Object.keys(beyondBaseR4).length} invalid cases (${rejectedExcluded} of them rejected anyway)`,
        ...invalid.filter((c) => !c.rejected).map((c) => `missed: ${c.name}: ${c.errors[0]}`),
      ].join('\n'),
    );

    expect(Object.keys(beyondBaseR4).every((name) => cases.some((c) => c.name === name && !c.valid))).toBe(
      true,
    );
    expect(accepted).toBe(valid.length);
    expect(rejected / invalid.length).toBeGreaterThanOrEqual(invalidRejectedFloor);
  });
});

/** An HL7 validator case, copied so that a test can break it. */
function validatorCase<T = Record<string, unknown>>(file: string): T {
  return readJson(join(testCases, 'validator', file)) as T;
}

interface DocumentBundle {
  entry: { fullUrl: string; resource: { section: { entry: { reference: string }[] }[] } }[];
}

describe('validateResource base rules stated outside the invariants', () => {
  it('refuses a Coding whose system is not an absolute URI', () => {
    const observation = officialExample<{ code: { coding: { system: string }[] } }>(
      'observation-example.json',
    );
    (observation.code.coding[0] as { system: string }).system = 'loinc';

    expect(onlyError(observation)).toMatchObject({
      code: 'value',
      expression: ['Observation.code.coding[0].system'],
    });
  });

  it('accepts urn:oid: and urn:uuid: code systems', () => {
    const observation = officialExample<{ code: { coding: { system: string }[] } }>(
      'observation-example.json',
    );
    (observation.code.coding[0] as { system: string }).system = 'urn:oid:2.16.840.1.113883.6.1';
    observation.code.coding.push({
      system: 'urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7',
      code: 'x',
    } as never);

    expect(errors(validateResource(observation))).toEqual([]);
  });

  it('refuses a Bundle with two links of one relation', () => {
    const bundle = validatorCase<{ link?: { relation: string; url: string }[] }>('bundle-id-search-1.json');
    bundle.link = [
      { relation: 'self', url: 'http://nothing/Patient?_page=1' },
      { relation: 'self', url: 'http://nothing/Patient?_page=2' },
    ];

    expect(onlyError(bundle)).toMatchObject({ code: 'invalid', expression: ['Bundle.link[1]'] });
  });

  it('refuses a first link given twice, and accepts self, first and next once each', () => {
    const links = (relations: string[]) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      link: relations.map((relation, i) => ({ relation, url: `https://example.org/Patient?page=${i}` })),
    });

    expect(onlyError(links(['self', 'first', 'first']))).toMatchObject({ expression: ['Bundle.link[2]'] });
    expect(errors(validateResource(links(['self', 'first', 'next'])))).toEqual([]);
  });

  it('refuses a relative canonical reference (Measure.library)', () => {
    const measure = { resourceType: 'Measure', status: 'draft', library: ['Library/library-cms146-example'] };

    expect(onlyError(measure)).toMatchObject({ code: 'value', expression: ['Measure.library[0]'] });
  });

  it('accepts an absolute canonical reference, with or without a version', () => {
    const measure = {
      resourceType: 'Measure',
      status: 'draft',
      library: ['http://hl7.org/fhir/Library/library-cms146-example', 'http://hl7.org/fhir/Library/x|1.0.0'],
    };

    expect(errors(validateResource(measure))).toEqual([]);
  });

  it('refuses a reference in a document Bundle that resolves to no entry', () => {
    const bundle = validatorCase<DocumentBundle>('bundle-document-versioned-references-good.json');
    const section = bundle.entry[0]?.resource.section[0];
    (section?.entry[1] as { reference: string }).reference = 'Observation/ObservationExample/_history/9';

    expect(onlyError(bundle)).toMatchObject({
      code: 'not-found',
      expression: ['Bundle.entry[0].resource.section[0].entry[1].reference'],
    });
  });

  it('refuses a reference in a document Bundle that resolves to two entries', () => {
    const bundle = validatorCase<DocumentBundle>('bundle-document-versioned-references-good.json');
    const section = bundle.entry[0]?.resource.section[0];
    (section?.entry[0] as { reference: string }).reference = 'Observation/ObservationExample';

    expect(onlyError(bundle)).toMatchObject({
      code: 'multiple-matches',
      expression: ['Bundle.entry[0].resource.section[0].entry[0].reference'],
    });
  });

  it('leaves references in a collection Bundle unresolved', () => {
    const bundle = validatorCase<DocumentBundle & { type: string }>(
      'bundle-document-versioned-references-bad.json',
    );
    bundle.type = 'collection';

    expect(errors(validateResource(bundle))).toEqual([]);
  });

  it("checks a contained resource's own required elements (List.status, List.mode)", () => {
    const condition = officialExample('condition-example.json');
    condition.contained = [{ resourceType: 'List', id: 'evidence' }];
    condition.evidence = [{ detail: [{ reference: '#evidence' }] }];

    const found = errors(validateResource(condition));

    expect(found.map((i) => i.expression?.[0]).sort()).toEqual([
      'Condition.contained[0].mode',
      'Condition.contained[0].status',
    ]);
  });
});

describe('validateResource rules', () => {
  it('refuses a gender outside the required value set', () => {
    const patient = officialExample('patient-example.json');
    patient.gender = 'banana';

    const issue = onlyError(patient);

    expect(issue).toMatchObject({ code: 'code-invalid', expression: ['Patient.gender'] });
    expect(issue.diagnostics).toContain('administrative-gender');
  });

  it('refuses a CodeableConcept with no coding from its required value set', () => {
    const allergy = officialExample<{ clinicalStatus: { coding: { code: string }[] } }>(
      'allergyintolerance-example.json',
    );
    (allergy.clinicalStatus.coding[0] as { code: string }).code = 'dormant';

    expect(onlyError(allergy)).toMatchObject({
      code: 'code-invalid',
      expression: ['AllergyIntolerance.clinicalStatus'],
    });
  });

  it('refuses an element the definition does not have', () => {
    const patient = officialExample('patient-example.json');
    patient.favouriteColour = 'blue';

    expect(onlyError(patient)).toMatchObject({
      code: 'structure',
      expression: ['Patient.favouriteColour'],
      diagnostics: "Unrecognized element 'favouriteColour'",
    });
  });

  it('refuses an Observation without its required code', () => {
    const observation = officialExample('observation-example.json');
    delete observation.code;

    expect(onlyError(observation)).toMatchObject({ code: 'required', expression: ['Observation.code'] });
  });

  it('refuses an Observation without its required status', () => {
    const observation = officialExample('observation-example.json');
    delete observation.status;

    expect(onlyError(observation)).toMatchObject({ code: 'required', expression: ['Observation.status'] });
  });

  it('refuses a date in the wrong format', () => {
    const patient = officialExample('patient-example.json');
    patient.birthDate = '25/12/1974';

    expect(onlyError(patient)).toMatchObject({ code: 'value', expression: ['Patient.birthDate'] });
  });

  it('refuses a date that does not exist', () => {
    const patient = officialExample('patient-example.json');
    patient.birthDate = '1974-02-30';

    expect(onlyError(patient).diagnostics).toContain('no such day');
  });

  it('refuses an empty string', () => {
    const observation = officialExample<{ code: { text?: string } }>('observation-example.json');
    observation.code.text = '';

    expect(onlyError(observation)).toMatchObject({ code: 'value', expression: ['Observation.code.text'] });
  });

  it('warns of a string that is only whitespace', () => {
    const observation = officialExample<{ code: { text?: string } }>('observation-example.json');
    observation.code.text = '   ';

    const issues = validateResource(observation);

    expect(errors(issues)).toEqual([]);
    expect(issues).toContainEqual(
      expect.objectContaining({ severity: 'warning', expression: ['Observation.code.text'] }),
    );
  });

  it('refuses an array where the element takes a single value', () => {
    const patient = officialExample('patient-example.json');
    patient.gender = ['male'];

    expect(onlyError(patient)).toMatchObject({ code: 'structure', expression: ['Patient.gender'] });
  });

  it('refuses a single value where FHIR JSON needs an array', () => {
    const patient = officialExample<{ name: unknown[] }>('patient-example.json');
    patient.name = patient.name[0] as unknown[];

    expect(onlyError(patient)).toMatchObject({ code: 'structure', expression: ['Patient.name'] });
  });

  it('refuses two variants of one choice element', () => {
    const observation = officialExample('observation-example.json');
    observation.valueString = 'high';

    expect(onlyError(observation)).toMatchObject({ code: 'structure', expression: ['Observation.value'] });
  });

  it('refuses a failed invariant', () => {
    const encounter = officialExample<{ period?: { start: string; end: string } }>('encounter-example.json');
    encounter.period = { start: '2024-03-02T10:00:00Z', end: '2024-03-01T10:00:00Z' };

    expect(onlyError(encounter)).toMatchObject({
      code: 'invariant',
      expression: ['Encounter.period'],
      diagnostics: "Constraint failed: per-1: 'If present, start SHALL have a lower value than end'",
    });
  });

  it('refuses a failed invariant of the resource itself (obs-6: a value and a dataAbsentReason)', () => {
    const observation = officialExample('observation-example.json');
    observation.dataAbsentReason = { text: 'Not measured' };

    expect(onlyError(observation)).toMatchObject({ code: 'invariant', expression: ['Observation'] });
  });

  it('names the element in an array by its index', () => {
    const observation = officialExample<{ component?: unknown[]; valueQuantity?: unknown }>(
      'observation-example.json',
    );
    delete observation.valueQuantity;
    observation.component = [
      { code: { text: 'Systolic' }, valueQuantity: { value: 107, unit: 'mmHg' } },
      { valueQuantity: { value: 60, unit: 'mmHg' } },
    ];

    expect(onlyError(observation)).toMatchObject({
      code: 'required',
      expression: ['Observation.component[1].code'],
    });
  });

  it('refuses empty objects, empty arrays and null', () => {
    const patient = officialExample('patient-example.json');
    patient.maritalStatus = {};
    patient.photo = [];
    patient.active = null;

    const found = errors(validateResource(patient));

    expect(found.map((i) => i.expression?.[0]).sort()).toEqual([
      'Patient.active',
      'Patient.maritalStatus',
      'Patient.photo',
    ]);
  });

  it('refuses a number given as a string and a boolean given as a string', () => {
    const patient = officialExample('patient-example.json');
    patient.active = 'true';
    patient.multipleBirthInteger = '2';

    const found = errors(validateResource(patient));

    expect(found.map((i) => i.code)).toEqual(['value', 'value']);
  });

  it('checks the primitive extensions of a `_name` twin', () => {
    const patient = officialExample('patient-example.json');
    patient._gender = { extension: [{ valueString: 'no url' }] };

    expect(onlyError(patient)).toMatchObject({
      code: 'required',
      expression: ['Patient.gender.extension[0].url'],
    });
  });

  it('refuses an Extension with both a value and extensions (ext-1)', () => {
    const patient = officialExample('patient-example.json');
    patient.extension = [
      { url: 'https://example.org/x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] },
    ];

    expect(onlyError(patient)).toMatchObject({ code: 'invariant', expression: ['Patient.extension[0]'] });
  });

  it('refuses a reference to a resource type the element does not allow', () => {
    const observation = officialExample<{ subject: { reference: string } }>('observation-example.json');
    observation.subject.reference = 'Organization/1';

    expect(onlyError(observation)).toMatchObject({ expression: ['Observation.subject.reference'] });
  });

  it('validates contained resources and their references (ref-1, dom-3)', () => {
    const condition = officialExample('condition-example.json');
    condition.contained = [{ resourceType: 'Practitioner', id: 'p1', gender: 'robot' }];
    condition.asserter = { reference: '#p2' };

    const found = errors(validateResource(condition));

    expect(found.map((i) => i.expression?.[0]).sort()).toEqual([
      'Condition',
      'Condition.asserter',
      'Condition.contained[0].gender',
    ]);
  });

  it('validates the entries of a Bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:5d3e3c2a-6b7b-4f6e-8b1a-1f6f0b5e2a11',
          resource: officialExample('patient-example.json'),
        },
        {
          fullUrl: 'urn:uuid:0c3a6f5e-9b0d-4a8b-a3c8-6f2d3e4b5a60',
          resource: { resourceType: 'Observation' },
        },
        { fullUrl: 'urn:uuid:1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', resource: { resourceType: 'Banana' } },
      ],
    };

    const found = errors(validateResource(bundle));

    expect(found.map((i) => i.expression?.[0]).sort()).toEqual([
      'Bundle.entry[1].resource.code',
      'Bundle.entry[1].resource.status',
      'Bundle.entry[2].resource',
    ]);
  });

  it('validates a Bundle entry of any R4 type in full', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:5d3e3c2a-6b7b-4f6e-8b1a-1f6f0b5e2a11',
          resource: { resourceType: 'Account', name: '' },
        },
      ],
    };

    const found = errors(validateResource(bundle));

    // R4 Account.status is 1..1; an empty string is never a value.
    expect(found.map((i) => i.expression?.[0]).sort()).toEqual([
      'Bundle.entry[0].resource.name',
      'Bundle.entry[0].resource.status',
    ]);
  });

  it('knows every R4 resource type: a Claim without its required elements is refused for each', () => {
    const found = errors(validateResource({ resourceType: 'Claim' }));

    // R4 Claim: status, type, use, patient, created, provider, priority 1..1 and insurance 1..*.
    expect(found.map((i) => i.expression?.[0]).sort()).toEqual([
      'Claim.created',
      'Claim.insurance',
      'Claim.patient',
      'Claim.priority',
      'Claim.provider',
      'Claim.status',
      'Claim.type',
      'Claim.use',
    ]);
  });

  it('refuses what is not a resource', () => {
    expect(validateResource([])).toMatchObject([{ code: 'structure' }]);
    expect(validateResource({ id: 'x' })).toMatchObject([{ code: 'required' }]);
    expect(validateResource({ resourceType: 'Banana' })).toMatchObject([{ code: 'structure' }]);
  });

  it('refuses narrative with a script', () => {
    const flag = officialExample<{ text: { div: string } }>('flag-example.json');
    flag.text.div = '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script>Flag</div>';

    expect(onlyError(flag)).toMatchObject({ code: 'value', expression: ['Flag.text.div'] });
  });

  it('accepts 5 MB of inline data: the 1 MB limit is for strings, not base64Binary', () => {
    const document = officialExample<{ content: { attachment: Record<string, unknown> }[] }>(
      'documentreference-example.json',
    );
    const bytes = randomBytes(5 * 1024 * 1024);
    Object.assign((document.content[0] as { attachment: Record<string, unknown> }).attachment, {
      data: bytes.toString('base64'),
      size: bytes.length,
    });

    expect(errors(validateResource(document))).toEqual([]);
  });

  it('refuses base64 with characters outside its alphabet', () => {
    const document = officialExample<{ content: { attachment: Record<string, unknown> }[] }>(
      'documentreference-example.json',
    );
    (document.content[0] as { attachment: Record<string, unknown> }).attachment.data = 'aGVsbG8_';

    expect(onlyError(document)).toMatchObject({
      code: 'value',
      expression: ['DocumentReference.content[0].attachment.data'],
    });
  });

  it('refuses an Attachment whose size is not that of its data', () => {
    const document = officialExample<{ content: { attachment: Record<string, unknown> }[] }>(
      'documentreference-example.json',
    );
    Object.assign((document.content[0] as { attachment: Record<string, unknown> }).attachment, {
      data: 'aGVsbG8=',
      size: 6,
    });

    expect(onlyError(document).diagnostics).toContain('does not match the 5 bytes');
  });

  it('refuses an extension nested 10,000 levels deep with an issue, without overflowing the stack', () => {
    const patient = officialExample('patient-example.json');
    patient.extension = [nestedExtension(10_000)];

    const issues = validateResource(patient);

    expect(issues).toMatchObject([{ severity: 'error', code: 'too-costly' }]);
  });

  it('walks nesting up to its limit of 128 JSON levels, and refuses one level more', () => {
    // The Patient is level 1; each extension adds an array and an object, so n extensions reach level 2n + 1.
    const shallow = { resourceType: 'Patient', extension: [nestedExtension(63)] };
    const deep = { resourceType: 'Patient', extension: [nestedExtension(64)] };

    expect(errors(validateResource(shallow))).toEqual([]);
    expect(validateResource(deep)).toMatchObject([{ code: 'too-costly' }]);
  });

  it('never throws, whatever JSON it is given', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const junk = [
      null,
      [],
      {},
      '',
      0,
      -1.5,
      'x',
      true,
      [null],
      [{}],
      { resourceType: 'Patient' },
      { reference: '#' },
    ];
    const mutate = (v: unknown): unknown => {
      if (random() < 0.08) return junk[Math.floor(random() * junk.length)];
      if (Array.isArray(v)) return v.map(mutate);
      if (typeof v !== 'object' || v === null) return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [random() < 0.02 ? `_${k}` : k, mutate(x)]),
      );
    };
    const files = readdirSync(join(testCases, 'examples')).filter((f) => f.endsWith('.json'));

    for (const file of files) {
      for (let i = 0; i < 50; i++)
        expect(() => validateResource(mutate(officialExample(file)))).not.toThrow();
    }
  });
});
