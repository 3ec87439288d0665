import { type ClinicalType, clinicalTypes } from '../support/fixtures.ts';

/** One request of the CRUD mix: an interaction on a type. */
export interface CrudStep {
  interaction: 'create' | 'read' | 'update' | 'delete';
  type: 'Patient' | ClinicalType;
}

/**
 * The CRUD workload, modelled on the Health Samurai FHIR server benchmark's (k6/crud.js): each iteration
 * creates a Patient and then one resource of each type referring to it, reads each, updates each (one element
 * changed), and deletes each in reverse order. Their nine types become the clinical types this API holds. The
 * Patient is never deleted here (CONTRACT §3: 405; the registered GP marks it inactive instead), so its delete is
 * left out of the mix, as `../shared/peer-bench/crud-mix.mjs` leaves it out for this API.
 */
export const crudMix: CrudStep[] = (() => {
  const types: CrudStep['type'][] = ['Patient', ...clinicalTypes];
  return [
    ...types.map((type) => ({ interaction: 'create' as const, type })),
    ...types.map((type) => ({ interaction: 'read' as const, type })),
    ...types.map((type) => ({ interaction: 'update' as const, type })),
    ...[...clinicalTypes].reverse().map((type) => ({ interaction: 'delete' as const, type })),
  ];
})();
