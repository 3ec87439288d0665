import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Flag,
  MedicationStatement,
  Observation,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  type SearchParameterDefinition,
  searchParameter,
  searchParameters,
} from '#shared/fhir/definitions/search-parameters';
import { compileFhirPath, searchItems } from '#shared/search/search-expression';
import {
  dateTargets,
  hasSearchValue,
  quantityTargets,
  referenceTargets,
  stringTargets,
  tokenTargets,
  uriTargets,
} from '#shared/search/search-values';
import { resourceTypes } from '#shared/service/resource-types';
import { officialExample } from '../support/fixtures.ts';

function parameter(type: string, name: string): SearchParameterDefinition {
  const found = searchParameter(type, name);
  if (!found) throw new Error(`${type} has no search parameter ${name}`);
  return found;
}

const observation = officialExample<Observation>('observation-example.json');
const condition = officialExample<Condition>('condition-example.json');
const allergy = officialExample<AllergyIntolerance>('allergyintolerance-example.json');
const flag = officialExample<Flag>('flag-example.json');
const patient = officialExample<Patient>('patient-example.json');
const documentReference = officialExample<DocumentReference>('documentreference-example.json');
const medicationStatement = officialExample<MedicationStatement>('medicationstatementexample1.json');
const utc = (text: string) => Date.parse(text);

describe('compileFhirPath', () => {
  it.each([
    ['Observation.code', ['invoke', ['root', 'Observation'], ['member', 'code']]],
    [
      '(Observation.value as Quantity)',
      ['as', ['invoke', ['root', 'Observation'], ['member', 'value']], 'Quantity'],
    ],
    [
      'Condition.onset.as(dateTime)',
      [
        'invoke',
        ['invoke', ['root', 'Condition'], ['member', 'onset']],
        ['function', 'as', ['type', 'dateTime']],
      ],
    ],
    [
      "Patient.telecom.where(system='email')",
      [
        'invoke',
        ['invoke', ['root', 'Patient'], ['member', 'telecom']],
        ['function', 'where', ['=', ['member', 'system'], ['string', 'email']]],
      ],
    ],
    [
      'Bundle.entry[0].resource',
      [
        'invoke',
        ['index', ['invoke', ['root', 'Bundle'], ['member', 'entry']], ['number', 0]],
        ['member', 'resource'],
      ],
    ],
  ])('compiles %s', (text, tree) => {
    // act
    const compiled = compileFhirPath(text);

    // assess
    expect(compiled).toEqual(tree);
  });

  it('binds | looser than as, and and looser than !=', () => {
    // act
    const compiled = compileFhirPath('A.x as T | A.y and A.z != false');

    // assess
    expect(compiled).toEqual([
      'and',
      [
        '|',
        ['as', ['invoke', ['root', 'A'], ['member', 'x']], 'T'],
        ['invoke', ['root', 'A'], ['member', 'y']],
      ],
      ['!=', ['invoke', ['root', 'A'], ['member', 'z']], ['boolean', false]],
    ]);
  });

  it('refuses syntax it does not know', () => {
    // act
    const act = () => compileFhirPath('Observation.code ^ 2');

    // assess
    expect(act).toThrow(/Unexpected '\^'/);
  });
});

describe('searchItems', () => {
  // One test, not one per parameter: an expression the engine cannot run would answer 500 to a search, so
  // every served type's every parameter is run once; the values are checked on real examples below.
  it('runs the expression of every search parameter of every served type without failing', () => {
    // prepare
    const types = [...Object.keys(resourceTypes), 'Task', 'AuditEvent', 'Subscription'];
    const failures: string[] = [];

    // act
    for (const type of types) {
      const resource = {
        resourceType: type,
        id: 'x',
        meta: { lastUpdated: '2024-01-01T00:00:00Z' },
      } as Resource;
      for (const definition of searchParameters(type)) {
        try {
          searchItems(resource, definition);
        } catch (error) {
          failures.push(`${type} ${definition.name}: ${(error as Error).message}`);
        }
      }
    }

    // assess
    expect(failures).toEqual([]);
  });

  // Expected values read from HL7's example files, by hand.
  it.each([
    [
      'Encounter class',
      'encounter-example.json',
      'Encounter',
      'class',
      [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
          code: 'IMP',
          text: 'inpatient encounter',
        },
      ],
    ],
    ['Encounter status', 'encounter-example.json', 'Encounter', 'status', [{ code: 'in-progress' }]],
    [
      'Immunization vaccine-code',
      'immunization-example.json',
      'Immunization',
      'vaccine-code',
      [{ system: 'urn:oid:1.2.36.1.2001.1005.17', code: 'FLUVAX' }, { text: 'Fluvax (Influenza)' }],
    ],
    ['Immunization lot-number', 'immunization-example.json', 'Immunization', 'lot-number', 'AAJN11K'],
    [
      'Consent scope',
      'consent-example.json',
      'Consent',
      'scope',
      [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    ],
    [
      'DocumentReference type',
      'documentreference-example.json',
      'DocumentReference',
      'type',
      [{ system: 'http://loinc.org', code: '34108-1', text: 'Outpatient Note' }],
    ],
    [
      'MedicationStatement category',
      'medicationstatementexample1.json',
      'MedicationStatement',
      'category',
      [
        {
          system: 'http://terminology.hl7.org/CodeSystem/medication-statement-category',
          code: 'inpatient',
          text: 'Inpatient',
        },
      ],
    ],
  ] as const)("extracts %s from HL7's example", (_, file, type, name, expected) => {
    // prepare
    const resource = officialExample<Resource>(file);

    // act
    const targets =
      typeof expected === 'string'
        ? stringTargets(resource, parameter(type, name))
        : tokenTargets(resource, parameter(type, name));

    // assess
    expect(targets).toEqual(typeof expected === 'string' ? [expected] : expected);
  });

  it.each([
    ['Encounter subject', 'encounter-example.json', 'Encounter', 'subject', 'Patient/example'],
    ['Immunization patient', 'immunization-example.json', 'Immunization', 'patient', 'Patient/example'],
    ['Consent organization', 'consent-example.json', 'Consent', 'organization', 'Organization/f001'],
    [
      'DocumentReference relatesto',
      'documentreference-example.json',
      'DocumentReference',
      'relatesto',
      'DocumentReference/example',
    ],
  ] as const)("extracts the reference %s from HL7's example", (_, file, type, name, reference) => {
    // act
    const targets = referenceTargets(officialExample<Resource>(file), parameter(type, name));

    // assess
    expect(targets.map((t) => t.reference)).toEqual([reference]);
  });

  it.each([
    ['Immunization date', 'immunization-example.json', 'Immunization', 'date', '2013-01-10', '2013-01-11'],
    ['Consent date', 'consent-example.json', 'Consent', 'date', '2016-05-11', '2016-05-12'],
    [
      'MedicationStatement effective',
      'medicationstatementexample1.json',
      'MedicationStatement',
      'effective',
      '2015-01-23',
      '2015-01-24',
    ],
  ] as const)("extracts the date range %s from HL7's example", (_, file, type, name, low, high) => {
    // act
    const [range] = dateTargets(officialExample<Resource>(file), parameter(type, name));

    // assess
    expect(range).toEqual({ low: utc(low), high: utc(high) });
  });

  it('selects the choice variant an `as` names', () => {
    // act
    const items = searchItems(observation, parameter('Observation', 'value-quantity'));

    // assess
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'Quantity', value: { value: 185 } });
  });

  it('selects nothing when the choice is another variant', () => {
    // act
    const items = searchItems(observation, parameter('Observation', 'value-concept'));

    // assess
    expect(items).toEqual([]);
  });

  it('keeps references to a patient for `patient` without resolving them', () => {
    // prepare
    const ofGroup = { ...observation, subject: { reference: 'Group/g1' } };

    // act
    const toPatient = searchItems(observation, parameter('Observation', 'patient'));
    const toGroup = searchItems(ofGroup, parameter('Observation', 'patient'));

    // assess
    expect(toPatient).toHaveLength(1);
    expect(toGroup).toEqual([]);
  });

  it('evaluates a computed expression (Patient deceased)', () => {
    // act
    const items = searchItems(patient, parameter('Patient', 'deceased'));

    // assess
    expect(items).toEqual([false]);
  });
});

describe('tokenTargets', () => {
  it('takes every coding of a CodeableConcept, and its text', () => {
    // act
    const targets = tokenTargets(condition, parameter('Condition', 'code'));

    // assess
    expect(targets).toEqual([
      { system: 'http://snomed.info/sct', code: '39065001', text: 'Burn of ear' },
      { text: 'Burnt Ear' },
    ]);
  });

  it('takes an Identifier as system and value', () => {
    // act
    const targets = tokenTargets(allergy, parameter('AllergyIntolerance', 'identifier'));

    // assess
    expect(targets).toEqual([{ system: 'http://acme.com/ids/patients/risks', code: '49476534' }]);
  });

  it('takes codes from both sides of a union', () => {
    // act
    const targets = tokenTargets(allergy, parameter('AllergyIntolerance', 'code'));

    // assess
    expect(targets.map((t) => t.code)).toEqual(['227493005', '1160593']);
  });

  it('takes a code as itself', () => {
    // act
    const targets = tokenTargets(allergy, parameter('AllergyIntolerance', 'criticality'));

    // assess
    expect(targets).toEqual([{ code: 'high' }]);
  });

  it('takes the CodeableConcept choice of a medication', () => {
    // prepare
    const coded = {
      ...medicationStatement,
      medicationReference: undefined,
      medicationCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '322236009' }] },
    };

    // act
    const targets = tokenTargets(coded, parameter('MedicationStatement', 'code'));

    // assess
    expect(targets).toEqual([{ system: 'http://snomed.info/sct', code: '322236009' }]);
  });
});

describe('dateTargets', () => {
  it('takes a date at its precision', () => {
    // act
    const targets = dateTargets(observation, parameter('Observation', 'date'));

    // assess
    expect(targets).toEqual([{ low: utc('2016-03-28'), high: utc('2016-03-29') }]);
  });

  it('takes a Period from the start of its start to the end of its end', () => {
    // act
    const targets = dateTargets(flag, parameter('Flag', 'date'));

    // assess
    expect(targets).toEqual([{ low: utc('2015-01-17'), high: utc('2016-12-02') }]);
  });

  it('leaves an open Period open', () => {
    // prepare
    const open = { ...flag, period: { start: '2015-01-17' } };

    // act
    const targets = dateTargets(open, parameter('Flag', 'date'));

    // assess
    expect(targets).toEqual([{ low: utc('2015-01-17'), high: Number.POSITIVE_INFINITY }]);
  });

  it('takes a Timing by its outer limits', () => {
    // prepare
    const timed = {
      ...observation,
      effectiveDateTime: undefined,
      effectiveTiming: { event: ['2024-03-05T10:00:00Z', '2024-03-01', '2024-03-07T08:00:00Z'] },
    };

    // act
    const targets = dateTargets(timed, parameter('Observation', 'date'));

    // assess
    expect(targets).toEqual([{ low: utc('2024-03-01'), high: utc('2024-03-07T08:00:01Z') }]);
  });

  it('takes an instant with its time zone', () => {
    // act
    const targets = dateTargets(allergy, parameter('AllergyIntolerance', 'date'));

    // assess
    expect(targets).toEqual([{ low: utc('2014-10-09T03:58:00Z'), high: utc('2014-10-09T03:58:01Z') }]);
  });

  it('takes each value of a repeating element', () => {
    // act
    const targets = dateTargets(allergy, parameter('AllergyIntolerance', 'onset'));

    // assess
    expect(targets).toEqual([
      { low: utc('2012-06-12'), high: utc('2012-06-13') },
      { low: utc('2004-01-01'), high: utc('2005-01-01') },
    ]);
  });
});

describe('stringTargets', () => {
  it('takes every part of every HumanName', () => {
    // act
    const targets = stringTargets(patient, parameter('Patient', 'name'));

    // assess
    expect(targets).toEqual(['Chalmers', 'Peter', 'James', 'Jim', 'Windsor', 'Peter', 'James']);
  });

  it('takes the parts of an Address', () => {
    // act
    const targets = stringTargets(patient, parameter('Patient', 'address'));

    // assess
    expect(targets).toEqual([
      '534 Erewhon St PeasantVille, Rainbow, Vic  3999',
      '534 Erewhon St',
      'PleasantVille',
      'Rainbow',
      'Vic',
      '3999',
    ]);
  });
});

describe('referenceTargets, uriTargets, quantityTargets', () => {
  it('takes a reference with the type and id it names', () => {
    // act
    const targets = referenceTargets(observation, parameter('Observation', 'subject'));

    // assess
    expect(targets).toEqual([{ reference: 'Patient/example', resourceType: 'Patient', id: 'example' }]);
  });

  it('takes a contained reference without a type or id', () => {
    // act
    const targets = referenceTargets(documentReference, parameter('DocumentReference', 'author'));

    // assess
    expect(targets).toEqual([
      { reference: 'Practitioner/xcda1', resourceType: 'Practitioner', id: 'xcda1' },
      { reference: '#a2' },
    ]);
  });

  it('takes a uri', () => {
    // act
    const targets = uriTargets(documentReference, parameter('DocumentReference', 'location'));

    // assess
    expect(targets).toEqual(['http://example.org/xds/mhd/Binary/07a6483f-732b-461e-86b6-edb665c45510']);
  });

  it('takes a Quantity with its unit', () => {
    // act
    const targets = quantityTargets(observation, parameter('Observation', 'value-quantity'));

    // assess
    expect(targets).toEqual([
      { value: 185, system: 'http://unitsofmeasure.org', code: '[lb_av]', unit: 'lbs' },
    ]);
  });
});

describe('hasSearchValue', () => {
  it.each([
    ['Observation', 'encounter', true],
    ['Observation', 'performer', false],
    ['Observation', 'date', true],
    ['Observation', 'value-string', false],
  ])('%s %s → %s', (type, name, expected) => {
    // act
    const has = hasSearchValue(observation, parameter(type, name));

    // assess
    expect(has).toBe(expected);
  });
});
