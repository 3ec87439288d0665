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
  /** How a resource names its patient, for types that belong in a patient's record. */
  patientReference?: 'subject' | 'patient';
}

export const resourceTypes: Record<string, ResourceTypeDefinition> = {
  Patient: { interactions: ['read', 'update'] },
  Organization: { interactions: ['read'] },
};

/** The definition of a supported type, or undefined. */
export function resourceType(name: string): ResourceTypeDefinition | undefined {
  return Object.hasOwn(resourceTypes, name) ? resourceTypes[name] : undefined;
}
