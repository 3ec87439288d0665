import { createHmac } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { PSEUDONYM_SYSTEM, pseudonymised, pseudonymOf } from '#shared/export/pseudonymisation';
import { officialExample } from '../support/fixtures.ts';
import { carer } from '../support/national-services.ts';

const NHS = '9434765919';
const KEY = Buffer.alloc(32, 7);
// Worked from the definition (HMAC-SHA256 of the ten digits, lowercase hex), not by the code under test.
const PSEUDONYM = createHmac('sha256', KEY).update(NHS).digest('hex');
const pseudonym = (nhs: string) => pseudonymOf(KEY, nhs);

type Json = Record<string, unknown>;
/** An HL7 example made to belong to an NHS-numbered patient, as the record holds it. */
function heldExample(file: string, patientField?: string): Json {
  const resource = officialExample(file);
  const text = JSON.stringify(resource).replace(/"Patient\/[A-Za-z0-9.-]+"/g, `"Patient/${NHS}"`);
  const out = JSON.parse(text) as Json;
  if (patientField) out[patientField] = { reference: `Patient/${NHS}`, display: 'Peter James Chalmers' };
  return out;
}
const anonymised = (resource: Json) =>
  pseudonymised(resource as unknown as Resource, pseudonym) as unknown as Json;

describe('pseudonymisation of an exported resource (CONTRACT §8)', () => {
  it('makes the pseudonym the keyed HMAC-SHA256 of the NHS number, the same every time', () => {
    expect(pseudonymOf(KEY, NHS)).toBe(PSEUDONYM);
    expect(pseudonymOf(Buffer.alloc(32, 8), NHS)).not.toBe(PSEUDONYM);
  });

  it("keeps of HL7's example Patient only what is not identifying, under its pseudonym", () => {
    const patient = {
      ...officialExample('patient-example.json'),
      id: NHS,
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS },
        { system: 'urn:oid:1.2.36', value: '12345' },
      ],
    };

    const out = anonymised(patient);

    expect(out.id).toBe(PSEUDONYM);
    expect(out.identifier).toEqual([{ system: PSEUDONYM_SYSTEM, value: PSEUDONYM }]);
    expect(out.birthDate).toBe('1974-12');
    expect(out.gender).toBe('male');
    for (const gone of ['name', 'telecom', 'address', 'contact', 'text', '_birthDate']) {
      expect(out[gone], gone).toBeUndefined();
    }
    const line = JSON.stringify(out);
    for (const detail of [
      NHS,
      'Chalmers',
      'Peter',
      'PleasantVille',
      '534 Erewhon St',
      '12345',
      '(03) 5555 6473',
      '14:35',
    ]) {
      expect(line).not.toContain(detail);
    }
  });

  it('replaces the patient reference and removes the narrative and free text of an Observation', () => {
    const out = anonymised(heldExample('observation-example.json', 'subject'));

    expect(out.subject).toEqual({ reference: `Patient/${PSEUDONYM}` });
    expect(out.text).toBeUndefined();
    expect(out.code).toEqual(officialExample<Json>('observation-example.json').code);
    expect(out.valueQuantity).toEqual(officialExample<Json>('observation-example.json').valueQuantity);
  });

  it("removes a RelatedPerson's name, contacts and identifiers and a CareTeam's member names", () => {
    // HL7's examples hold no RelatedPerson: the carer the national-services tests use, with an id and a photo.
    const related = anonymised({
      ...carer(NHS),
      identifier: [{ system: 'https://example.org/carers', value: 'C-77' }],
      photo: [{ contentType: 'image/png', data: 'iVBORw0KGgo=' }],
    });
    const team = anonymised(heldExample('careteam-example.json', 'subject'));

    expect(related.patient).toEqual({ reference: `Patient/${PSEUDONYM}` });
    for (const gone of ['name', 'telecom', 'address', 'identifier', 'photo'])
      expect(related[gone], gone).toBeUndefined();
    expect(JSON.stringify(team)).not.toMatch(/Chalmers|Dorothy|Dietician|Dietition/);
    expect((team.contained as Json[])[0]).toEqual({ resourceType: 'Practitioner', id: 'pr1' });
    expect((team.participant as Json[])[0]?.member).toEqual({ reference: `Patient/${PSEUDONYM}` });
  });

  it("removes a document's description, narrative and attachment's data, url and title", () => {
    const document = heldExample('documentreference-example.json', 'subject');
    const out = anonymised(document);

    expect(out.description).toBeUndefined();
    const attachment = (out.content as { attachment: Json }[])[0]?.attachment;
    expect(attachment?.contentType).toBe('application/hl7-v3+xml');
    for (const gone of ['data', 'url', 'title']) expect(attachment?.[gone], gone).toBeUndefined();
  });

  it("removes a letter's title, which a person typed and may name the patient", () => {
    const letter = {
      resourceType: 'Composition',
      status: 'final',
      type: { coding: [{ system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' }] },
      subject: { reference: `Patient/${NHS}` },
      date: '2026-01-02',
      author: [{ reference: 'Organization/RX1' }],
      title: 'Discharge summary for Margaret Oakley',
    };

    const out = anonymised(letter);

    expect(out.title).toBeUndefined();
    expect(out.type).toEqual(letter.type);
  });

  it('keeps an Organization its name, address, telecom and ODS code: not personal data', () => {
    const organisation = {
      resourceType: 'Organization',
      id: 'A81001',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'A81001' }],
      name: 'Riverside Medical Practice',
      telecom: [{ system: 'phone', value: '01632 960000' }],
      address: [{ line: ['1 High Street'], city: 'Northbridge' }],
      contact: [{ name: { family: 'Manager', given: ['Pat'] } }],
    };

    const out = anonymised(organisation);

    expect(out).toEqual({ ...organisation, contact: undefined });
  });

  it('does not change the resource it is given', () => {
    const patient = { ...officialExample('patient-example.json'), id: NHS };
    const before = JSON.stringify(patient);

    anonymised(patient);

    expect(JSON.stringify(patient)).toBe(before);
  });
});
