import type { DocumentReference, Encounter, Flag, Patient, Resource } from '@medplum/fhirtypes';
import type { OutboxEvent } from './detail-types.ts';
import { SNOMED_SYSTEM } from './safeguarding-codes.ts';

const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Encounter classes that are admissions: inpatient, acute inpatient, emergency. */
const ADMITTED_CLASSES = ['IMP', 'ACUTE', 'EMER'];

/** What a change is about, for the event's detail: references and codes only. */
export interface ChangeContext {
  patient: string;
  contributor: string;
  safeguardingCodes: string[];
}

/**
 * The events a change to the record raises (CONTRACT §5), from the version before and after it (`undefined`
 * for a create, or for a delete). Only transitions raise events: saving an admitted Encounter again does not.
 */
export function eventsForChange(
  before: Resource | undefined,
  after: Resource | undefined,
  context: ChangeContext,
): OutboxEvent[] {
  const current = after ?? before;
  if (!current || !after) return [];
  const detail = {
    patient: `Patient/${context.patient}`,
    focus: `${current.resourceType}/${current.id}`,
    contributor: context.contributor,
  };
  switch (after.resourceType) {
    case 'Encounter':
      return encounterEvents(before as Encounter | undefined, after, detail);
    case 'Flag':
      return raisesSafeguarding(before as Flag | undefined, after, context.safeguardingCodes)
        ? [
            {
              detailType: 'Flag.SafeguardingRaised',
              detail: { ...detail, code: safeguardingCode(after, context.safeguardingCodes) },
            },
          ]
        : [];
    case 'Patient':
      return isDeceased(after) && !isDeceased(before as Patient | undefined)
        ? [{ detailType: 'Patient.Deceased', detail }]
        : [];
    case 'DocumentReference':
      return isCurrentDocument(after) && !isCurrentDocument(before as DocumentReference | undefined)
        ? [{ detailType: 'DocumentReference.Added', detail }]
        : [];
    default:
      return [];
  }
}

function encounterEvents(
  before: Encounter | undefined,
  after: Encounter,
  detail: OutboxEvent['detail'],
): OutboxEvent[] {
  const admitted =
    after.class?.system === ACT_CODE_SYSTEM && ADMITTED_CLASSES.includes(after.class.code ?? '');
  if (!admitted || before?.status === after.status) return [];
  const withClass = { ...detail, class: after.class?.code };
  if (after.status === 'in-progress') return [{ detailType: 'Encounter.Admitted', detail: withClass }];
  if (after.status === 'finished') return [{ detailType: 'Encounter.Discharged', detail: withClass }];
  return [];
}

function safeguardingCode(flag: Flag, codes: string[]): string | undefined {
  return flag.code?.coding?.find((c) => c.system === SNOMED_SYSTEM && codes.includes(c.code ?? ''))?.code;
}

function raisesSafeguarding(before: Flag | undefined, after: Flag, codes: string[]): boolean {
  const concern = (f: Flag | undefined) => f?.status === 'active' && safeguardingCode(f, codes) !== undefined;
  return concern(after) && !concern(before);
}

function isDeceased(p: Patient | undefined): boolean {
  return p?.deceasedBoolean === true || p?.deceasedDateTime !== undefined;
}

function isCurrentDocument(d: DocumentReference | undefined): boolean {
  return d?.status === 'current';
}
