import type { Identifier, Patient } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM, nhsNumberProblem } from './nhs-number.ts';
import { BadRequestError } from './operation-outcome.ts';

/** Throws 400 unless `id` is a valid NHS number: a Patient's id is its NHS number. */
export function assertNhsNumberId(id: string): void {
  const problem = nhsNumberProblem(id);
  if (problem) throw new BadRequestError(problem, 'value', ['Patient.id']);
}

/**
 * Checks that a Patient's NHS-number identifiers agree with the NHS number it is stored under, and adds the
 * identifier when the body has none, so every stored Patient carries it as UK Core expects.
 */
export function withNhsNumberIdentifier(patient: Patient, nhsNumber: string): Patient {
  const identifiers = patient.identifier ?? [];
  identifiers.forEach((identifier, i) => {
    if (identifier.system === NHS_NUMBER_SYSTEM && identifier.value !== nhsNumber) {
      throw new BadRequestError(
        'The NHS number identifier does not match the Patient id (the NHS number in the URL)',
        'invariant',
        [`Patient.identifier[${i}].value`],
      );
    }
  });
  if (identifiers.some((i) => i.system === NHS_NUMBER_SYSTEM)) return patient;
  const nhs: Identifier = { system: NHS_NUMBER_SYSTEM, value: nhsNumber };
  return { ...patient, identifier: [nhs, ...identifiers] };
}
