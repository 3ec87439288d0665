import { createHmac } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM } from '../fhir/nhs-number.ts';

/** The identifier system of an export's pseudonyms (the id and identifier of an exported Patient). */
export const PSEUDONYM_SYSTEM = 'https://shared-care-record.org/fhir/Id/export-pseudonym';

/**
 * The pseudonym of an NHS number: the lowercase hex HMAC-SHA256 of its ten digits under the deployment's key.
 * Keyed, so no one without the key can work back from it or confirm a guess; the same in every export, so
 * analysts link a patient's rows across exports. 64 characters: a valid FHIR id.
 *
 * @example pseudonymOf(key, '9000000009') // 'a3f1…' (64 hex digits)
 */
export function pseudonymOf(key: Uint8Array, nhsNumber: string): string {
  return createHmac('sha256', key).update(nhsNumber).digest('hex');
}

type Json = Record<string, unknown>;
type Pseudonym = (nhsNumber: string) => string;

/** Elements that hold free text, which may name or describe the patient or others: removed everywhere. */
const FREE_TEXT = new Set([
  'text',
  'note',
  'description',
  'comment',
  'valueString',
  'valueMarkdown',
  'patientInstruction',
  'conclusion',
  // A letter's or plan's title is typed by a person and may name the patient ("Discharge summary, Mrs Oakley").
  'title',
]);
/** Elements that identify a person directly: removed everywhere (an Organization keeps its own, below). */
const PERSONAL = new Set([
  'telecom',
  'address',
  'photo',
  'contact',
  'valueHumanName',
  'valueAddress',
  'valueContactPoint',
  'valueAttachment',
]);
/** An Organization's address and telecom are its own, not a person's (CONTRACT §8 keeps ODS codes too). */
const ORGANISATION_KEEPS = new Set(['telecom', 'address']);
const DATES_TO_MONTH = new Set(['birthDate', 'deceasedDateTime']);
const PATIENT_REFERENCE = /^(.*\/)?Patient\/(\d{10})$/;

/**
 * A resource as a pseudonymised export carries it (CONTRACT §8): every NHS number (a Patient's id, an NHS-number
 * identifier, a `Patient/<nhs>` reference) replaced by its pseudonym, a person's other identifiers removed;
 * names, addresses, telecoms, photos and contacts removed (of the patient, a RelatedPerson, a contained
 * Practitioner, a care team alike); free text removed (narrative, notes, comments, descriptions, string values,
 * Attachment data, url and title, Reference display, primitives' extensions); dates of birth and death cut to
 * the month. Codes, coded displays, dates of care, ODS codes and the record's
 * own ids stay, so the data still answers population questions. The input is not changed.
 */
export function pseudonymised<T extends Resource>(resource: T, pseudonym: Pseudonym): T {
  const out = walk(resource, pseudonym, resource.resourceType === 'Organization') as T & Json;
  // A person's other identifiers (a hospital number, a carer's) identify them as directly as a name does: a
  // Patient keeps only its pseudonym, a RelatedPerson none.
  if (resource.resourceType === 'Patient' && resource.id) {
    out.id = pseudonym(resource.id);
    out.identifier = [{ system: PSEUDONYM_SYSTEM, value: out.id }];
  }
  if (resource.resourceType === 'RelatedPerson') delete out.identifier;
  return out;
}

function walk(value: unknown, pseudonym: Pseudonym, organisation: boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => walk(v, pseudonym, organisation)).filter((v) => v !== undefined);
  }
  if (value === null || typeof value !== 'object') return value;
  const object = value as Json;
  // A contained resource answers for itself: a contained Organization keeps its address.
  const isOrganisation =
    typeof object.resourceType === 'string' ? object.resourceType === 'Organization' : organisation;
  const attachment = 'contentType' in object || 'data' in object || 'hash' in object;
  const coding = 'code' in object || 'system' in object;
  const out: Json = {};
  for (const [key, v] of Object.entries(object)) {
    if (FREE_TEXT.has(key)) continue;
    if (PERSONAL.has(key) && !(isOrganisation && ORGANISATION_KEEPS.has(key))) continue;
    // A HumanName, or a name given to something else that may hold one ("Peter Chalmers' care plan"): only
    // an Organization's own name stays.
    if (key === 'name' && !(isOrganisation && typeof v === 'string')) continue;
    // A primitive's extensions (`_birthDate` with the birth time) can say more than the value kept.
    if (key.startsWith('_')) continue;
    if (attachment && (key === 'data' || key === 'url')) continue;
    // A Reference's display may be the person's name; a Coding's display is the code's meaning.
    if (key === 'display' && !coding) continue;
    if (DATES_TO_MONTH.has(key) && typeof v === 'string') {
      out[key] = v.slice(0, 7);
      continue;
    }
    if (key === 'reference' && typeof v === 'string') {
      const m = PATIENT_REFERENCE.exec(v);
      out[key] = m ? `${m[1] ?? ''}Patient/${pseudonym(m[2] as string)}` : v;
      continue;
    }
    out[key] = walk(v, pseudonym, isOrganisation);
  }
  if (out.system === NHS_NUMBER_SYSTEM && typeof out.value === 'string') {
    out.system = PSEUDONYM_SYSTEM;
    out.value = pseudonym(out.value);
  }
  // An element left with nothing in it (a CodeableConcept that was only text) is no element.
  return Object.keys(out).length ? out : undefined;
}
