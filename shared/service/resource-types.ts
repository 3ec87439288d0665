import type { Resource } from '@medplum/fhirtypes';
import type { DetailType } from '../events/detail-types.ts';

/**
 * The resource types the API serves and what it does with each: the one declaration that routing,
 * validation, search, the CapabilityStatement, the write path, the events and the access rules read. What is
 * special about a type is said here, in its entry, so adding a type is one entry.
 */
export type Interaction =
  | 'read'
  | 'vread'
  | 'update'
  | 'delete'
  | 'history-instance'
  | 'create'
  | 'search-type';

/**
 * The element that names a resource's patient: one Reference, or for an Appointment the participant whose
 * `actor` is a Patient (an Appointment has no `subject`).
 */
export type PatientReference = 'subject' | 'patient' | 'for' | 'participant.actor';

export interface ResourceTypeDefinition {
  interactions: Interaction[];
  /** The element that names the patient, for types that belong in a patient's record. */
  patientReference?: PatientReference;
  /**
   * Where an instance's id comes from when not server-assigned: a Patient's is its NHS number (and it heads its
   * own record's partition); an Organization's is its ODS code (its own partition).
   */
  identity?: 'nhs-number' | 'ods-code';
  /** Stays visible to every organisation with a relationship when the patient objects to sharing (CONTRACT §4). */
  visibleUnderObjection?: true;
  /** Whether a version is an active objection to sharing, which limits what others see (CONTRACT §4). */
  objection?: (resource: Resource) => boolean;
  /** Its attachments are documents: verified and stored before the write, with room for them in the body (§6). */
  holdsDocuments?: true;
  /** The events a change to it may raise; `shared/events/classify-change.ts` decides when (CONTRACT §5). */
  raises?: readonly DetailType[];
  /** It is a care context: it gives an organisation a relationship with the patient (CONTRACT §4). */
  careContext?: CareContextRule;
}

/**
 * What makes an instance of a type a care context, read by the write path (which keeps the relationship
 * facts) and the access rules alike (`shared/access/care-context.ts`).
 */
export interface CareContextRule {
  /**
   * The element that names the organisation caring for the patient. `provider`: the contributor is that
   * organisation (the server sets it where absent and refuses another); `referral`: the organisations it names
   * (a referral to them), whoever recorded it.
   */
  organisation: { element: string; kind: 'provider' | 'referral' };
  /** Statuses in which it is open: the relationship holds. */
  open: readonly string[];
  /** Statuses in which it has ended: the relationship holds for the grace period after its end. */
  ended: readonly string[];
  /** The Period whose `end` says when it ended (else: when the ending was recorded). Other statuses count for nothing. */
  period: string;
}

const clinical = (
  patientReference: PatientReference,
  rules: Omit<ResourceTypeDefinition, 'interactions' | 'patientReference'> = {},
): ResourceTypeDefinition => ({
  interactions: ['create', 'read', 'vread', 'update', 'delete', 'history-instance', 'search-type'],
  patientReference,
  ...rules,
});

/** A Consent with an active `deny` provision is the patient's objection to sharing. */
const isSharingObjection = (resource: Resource): boolean =>
  resource.resourceType === 'Consent' && resource.status === 'active' && resource.provision?.type === 'deny';

export const resourceTypes: Record<string, ResourceTypeDefinition> = {
  // Never deleted through the API (CONTRACT §3): its registered GP marks it inactive or records its death.
  Patient: {
    // Never deleted through the API (405): the registered GP marks it inactive or records a death instead.
    interactions: ['read', 'vread', 'update', 'history-instance', 'create', 'search-type'],
    identity: 'nhs-number',
    visibleUnderObjection: true,
    raises: ['Patient.Deceased'],
  },
  Organization: {
    interactions: ['read', 'vread', 'search-type'],
    identity: 'ods-code',
    visibleUnderObjection: true,
  },
  AllergyIntolerance: clinical('patient'),
  Condition: clinical('subject'),
  MedicationStatement: clinical('subject'),
  Observation: clinical('subject'),
  Encounter: clinical('subject', {
    raises: ['Encounter.Admitted', 'Encounter.Discharged'],
    careContext: {
      organisation: { element: 'serviceProvider', kind: 'provider' },
      open: ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'unknown'],
      ended: ['finished', 'cancelled'],
      period: 'period',
    },
  }),
  EpisodeOfCare: clinical('patient', {
    careContext: {
      organisation: { element: 'managingOrganization', kind: 'provider' },
      open: ['planned', 'waitlist', 'active', 'onhold'],
      ended: ['finished', 'cancelled'],
      period: 'period',
    },
  }),
  // Only an active referral opens a relationship (CONTRACT §4); a draft one is not yet made.
  ServiceRequest: clinical('subject', {
    raises: ['ServiceRequest.Received'],
    careContext: {
      organisation: { element: 'performer', kind: 'referral' },
      open: ['active'],
      ended: ['completed', 'revoked'],
      period: 'occurrencePeriod',
    },
  }),
  Flag: clinical('subject', { raises: ['Flag.SafeguardingRaised'] }),
  CarePlan: clinical('subject'),
  Procedure: clinical('subject'),
  Immunization: clinical('patient'),
  DocumentReference: clinical('subject', { holdsDocuments: true, raises: ['DocumentReference.Added'] }),
  Consent: clinical('patient', { visibleUnderObjection: true, objection: isSharingObjection }),
  Task: clinical('for'),
  // What the national services feed the record (CONTRACT §3): prescribing and dispensing (EPS), referrals and
  // the appointments booked from them (e-RS), results and reports, structured letters, the people around the
  // patient. A Medication, Practitioner or PractitionerRole is contained in the resource that names it.
  MedicationRequest: clinical('subject'),
  MedicationDispense: clinical('subject'),
  Appointment: clinical('participant.actor', { raises: ['Appointment.Booked', 'Appointment.Cancelled'] }),
  DiagnosticReport: clinical('subject', { raises: ['DiagnosticReport.Added'] }),
  Composition: clinical('subject', { raises: ['Composition.DischargeSummaryAdded'] }),
  RelatedPerson: clinical('patient'),
  CareTeam: clinical('subject'),
  // The audit trail: searchable by those entitled to it, never written or changed through the API.
  AuditEvent: { interactions: ['search-type'] },
};

/** The definition of a supported type, or undefined. */
export function resourceType(name: string): ResourceTypeDefinition | undefined {
  return Object.hasOwn(resourceTypes, name) ? resourceTypes[name] : undefined;
}

/** Types whose resources live in a patient's record. */
export const clinicalTypes = Object.keys(resourceTypes).filter((t) => resourceTypes[t]?.patientReference);

/** The patient itself, identified by its NHS number, rather than a resource in a patient's record. */
export function identifiedByNhsNumber(type: string): boolean {
  return resourceType(type)?.identity === 'nhs-number';
}
