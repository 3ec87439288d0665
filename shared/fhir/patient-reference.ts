import type { Resource } from '@medplum/fhirtypes';
import { resourceType } from '../service/resource-types.ts';
import { isValidNhsNumber } from './nhs-number.ts';
import { BadRequestError } from './operation-outcome.ts';

/**
 * The NHS number of the patient a clinical resource belongs to, from its `subject` or `patient`
 * (`Patient/{nhs}`, relative or absolute). Throws 400 when the reference is missing or is not an NHS number.
 */
export function patientOf(resource: Resource): string {
  const element = resourceType(resource.resourceType)?.patientReference;
  if (!element) throw new Error(`${resource.resourceType} does not belong to a patient`);
  const reference = (resource as unknown as Record<string, { reference?: unknown } | undefined>)[element]
    ?.reference;
  const expression = [`${resource.resourceType}.${element}`];
  if (typeof reference !== 'string') {
    throw new BadRequestError(
      `${resource.resourceType}.${element} must reference the patient as Patient/{NHS number}`,
      'required',
      expression,
    );
  }
  const nhs = /(?:^|\/)Patient\/([^/]+)$/.exec(reference)?.[1];
  if (!nhs || !isValidNhsNumber(nhs)) {
    throw new BadRequestError(
      `${resource.resourceType}.${element} must reference Patient/{NHS number} with a valid NHS number`,
      'value',
      expression,
    );
  }
  return nhs;
}
