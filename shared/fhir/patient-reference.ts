import type { Resource } from '@medplum/fhirtypes';
import { resourceType } from '../service/resource-types.ts';
import { isValidNhsNumber } from './nhs-number.ts';
import { BadRequestError, UnprocessableEntityError } from './operation-outcome.ts';

/**
 * The NHS number of the patient a clinical resource belongs to, from its `subject` or `patient`: `Patient/{nhs}`,
 * or that absolute under this server's `fhirBase`. Throws 400 when the reference is missing or is not an NHS
 * number, and 422 when it is absolute and points at another server (or no base is given to compare with):
 * that patient is not one of this record's, whatever the number.
 */
export function patientOf(resource: Resource, fhirBase?: string): string {
  const element = resourceType(resource.resourceType)?.patientReference;
  if (!element) throw new Error(`${resource.resourceType} does not belong to a patient`);
  const reference = referenceAt(resource, element);
  const expression = [`${resource.resourceType}.${element}`];
  if (typeof reference !== 'string') {
    throw new BadRequestError(
      `${resource.resourceType}.${element} must reference the patient as Patient/{NHS number}`,
      'required',
      expression,
    );
  }
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(reference);
  const relative = absolute && fhirBase ? withoutBase(reference, fhirBase) : reference;
  if (relative === undefined || (absolute && !fhirBase) || /^[a-z][a-z0-9+.-]*:/i.test(relative)) {
    throw new UnprocessableEntityError('', [
      {
        code: 'processing',
        diagnostics: `${resource.resourceType}.${element} must reference a patient of this server: Patient/{NHS number}${fhirBase ? ` or ${fhirBase}/Patient/{NHS number}` : ''}, not a resource elsewhere`,
        expression,
      },
    ]);
  }
  const nhs = /^Patient\/([^/]+)$/.exec(relative)?.[1];
  if (!nhs || !isValidNhsNumber(nhs)) {
    throw new BadRequestError(
      `${resource.resourceType}.${element} must reference Patient/{NHS number} with a valid NHS number`,
      'value',
      expression,
    );
  }
  return nhs;
}

/**
 * The patient reference at `element`. For an Appointment (`participant.actor`) it is the one participant whose
 * actor is a Patient: an Appointment names its practitioners and locations there too.
 */
function referenceAt(resource: Resource, element: string): unknown {
  const body = resource as unknown as Record<string, unknown>;
  if (element !== 'participant.actor')
    return (body[element] as { reference?: unknown } | undefined)?.reference;
  const participants = Array.isArray(body.participant)
    ? (body.participant as { actor?: { reference?: unknown } }[])
    : [];
  const patients = participants
    .map((p) => p?.actor?.reference)
    .filter((r): r is string => typeof r === 'string' && /(^|\/)Patient\/[^/]+$/.test(r));
  return new Set(patients).size === 1 ? patients[0] : undefined;
}

/** `reference` relative to `fhirBase` (scheme and host compared case-insensitively), or undefined if outside it. */
function withoutBase(reference: string, fhirBase: string): string | undefined {
  let url: URL;
  let base: URL;
  try {
    url = new URL(reference);
    base = new URL(`${fhirBase.replace(/\/$/, '')}/`);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.search || url.hash)
    return undefined;
  return url.pathname.slice(base.pathname.length);
}
