/**
 * The resource types the API serves and what it does with each: the one declaration that routing,
 * validation, search and the CapabilityStatement read.
 */
export type Interaction =
  | 'read'
  | 'vread'
  | 'update'
  | 'delete'
  | 'history-instance'
  | 'create'
  | 'search-type';

export interface ResourceTypeDefinition {
  interactions: Interaction[];
  /** The element that names the patient, for types that belong in a patient's record. */
  patientReference?: 'subject' | 'patient' | 'for';
}

const clinical = (patientReference: 'subject' | 'patient' | 'for'): ResourceTypeDefinition => ({
  interactions: ['create', 'read', 'vread', 'update', 'delete', 'history-instance', 'search-type'],
  patientReference,
});

export const resourceTypes: Record<string, ResourceTypeDefinition> = {
  // Never deleted through the API (CONTRACT §3): its registered GP marks it inactive or records its death.
  Patient: {
    interactions: ['read', 'vread', 'update', 'history-instance', 'create', 'search-type'],
  },
  Organization: { interactions: ['read', 'vread', 'search-type'] },
  AllergyIntolerance: clinical('patient'),
  Condition: clinical('subject'),
  MedicationStatement: clinical('subject'),
  Observation: clinical('subject'),
  Encounter: clinical('subject'),
  Flag: clinical('subject'),
  CarePlan: clinical('subject'),
  Procedure: clinical('subject'),
  Immunization: clinical('patient'),
  DocumentReference: clinical('subject'),
  Consent: clinical('patient'),
  Task: clinical('for'),
  // The audit trail: searchable by those entitled to it, never written or changed through the API.
  AuditEvent: { interactions: ['search-type'] },
};

/** The definition of a supported type, or undefined. */
export function resourceType(name: string): ResourceTypeDefinition | undefined {
  return Object.hasOwn(resourceTypes, name) ? resourceTypes[name] : undefined;
}

/** Types whose resources live in a patient's record. */
export const clinicalTypes = Object.keys(resourceTypes).filter((t) => resourceTypes[t]?.patientReference);
