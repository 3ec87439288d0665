import type { Parameters } from '@medplum/fhirtypes';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { assertNhsNumberId } from '../fhir/patient-identity.ts';
import type { RequestContext } from '../http/request-context.ts';
import type { ViewerGrant } from './viewer-grant.ts';

const MAX_NAME = 200;

/**
 * The grant a `POST /viewer/launch` asks for (CONTRACT §7): the supplier system and organisation from its
 * token, the person from `NHSD-End-User-Id` (required here) and `NHSD-End-User-Role`, the purpose of use, and
 * from the `Parameters` body the `patient` (`Patient/{nhs}`) and the person's display `name`.
 */
export function launchGrant(
  ctx: RequestContext,
  endUserRole: string | undefined,
  body: unknown,
): ViewerGrant {
  if (!ctx.endUser) {
    throw new BadRequestError(
      'A viewer launch needs NHSD-End-User-Id: the person the viewer opens for',
      'required',
    );
  }
  const parameters = body as Parameters;
  if (parameters?.resourceType !== 'Parameters' || !Array.isArray(parameters.parameter)) {
    throw new BadRequestError(
      'The body must be a Parameters resource naming the patient and the name',
      'structure',
    );
  }
  const part = (name: string) => parameters.parameter?.find((p) => p.name === name);
  const patientPart = part('patient');
  const reference = patientPart?.valueReference?.reference ?? patientPart?.valueString;
  const nhs = reference?.match(/^Patient\/(.+)$/)?.[1];
  if (!nhs) {
    throw new BadRequestError("Parameter 'patient' must be a reference to Patient/{NHS number}", 'required', [
      'Parameters.parameter.patient',
    ]);
  }
  assertNhsNumberId(nhs);
  const name = part('name')?.valueString?.trim();
  if (!name || name.length > MAX_NAME) {
    throw new BadRequestError(
      `Parameter 'name' must be the person's name, at most ${MAX_NAME} characters`,
      'required',
      ['Parameters.parameter.name'],
    );
  }
  return {
    caller: ctx.caller,
    person: { id: ctx.endUser.id, ...(endUserRole ? { role: endUserRole } : {}), name },
    patient: nhs,
    purpose: ctx.purpose,
  };
}

/** The launch's answer: a `Parameters` with the single-use `url`. */
export function launchResponse(url: string, expiresInSeconds: number): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'url', valueUrl: url },
      { name: 'expiresIn', valueInteger: expiresInSeconds },
    ],
  };
}
