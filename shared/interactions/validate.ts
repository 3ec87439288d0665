import type { OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { decideRecordAccess } from '../access/access-policy.ts';
import { isResourceType } from '../fhir/definitions/r4-definitions.ts';
import { NHS_NUMBER_SYSTEM, nhsNumberProblem } from '../fhir/nhs-number.ts';
import {
  BadRequestError,
  type Issue,
  NotFoundError,
  OperationOutcomeError,
  operationOutcome,
} from '../fhir/operation-outcome.ts';
import { patientOf } from '../fhir/patient-reference.ts';
import { validateResource } from '../fhir/validation/validate-resource.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readAccessFacts } from '../record/access-facts-store.ts';
import { identifiedByNhsNumber } from '../service/resource-types.ts';
import { assertSupported } from './supported.ts';

export type ValidationMode = 'general' | 'create' | 'update';

/**
 * The `$validate` operation: checks a resource against base FHIR R4 and, with mode `create` or `update`, the
 * rules a write would apply (NHS number, registered patient, a relationship with the patient). Always an
 * OperationOutcome; nothing is stored.
 * The body is the resource, or a Parameters with `resource` (and optionally `mode`) parts.
 */
export async function validateOperation(
  type: string,
  body: Record<string, unknown>,
  queryMode: string | undefined,
  ctx: RequestContext,
): Promise<OperationOutcome> {
  // Any R4 type can be checked, served or not; only served types have write rules.
  if (!isResourceType(type)) throw new NotFoundError(`Resource type '${type}' is not known`);
  const { resource, mode } = operationInput(type, body, queryMode);
  if (mode !== 'general') assertSupported(type, 'read');
  const issues = validateResource(resource);
  if (resource.resourceType !== type) {
    issues.push({
      code: 'invalid',
      diagnostics: `The resource must be a ${type}`,
      expression: ['resourceType'],
    });
  }
  if (mode !== 'general' && !issues.some((i) => (i.severity ?? 'error') === 'error')) {
    issues.push(...(await writeRuleIssues(resource as unknown as Resource, mode, ctx)));
  }
  return issues.length
    ? operationOutcome(issues)
    : operationOutcome([
        { severity: 'information', code: 'informational', diagnostics: 'The resource is valid' },
      ]);
}

function operationInput(type: string, body: Record<string, unknown>, queryMode: string | undefined) {
  let resource = body;
  let mode = queryMode;
  const wrapped = ((body.parameter ?? []) as { name?: string }[]).some((p) => p?.name === 'resource');
  // A Parameters posted to Parameters/$validate is the resource to check, unless it wraps one.
  if (body.resourceType === 'Parameters' && (type !== 'Parameters' || wrapped)) {
    const parts = (body.parameter ?? []) as {
      name?: string;
      resource?: Record<string, unknown>;
      valueCode?: string;
    }[];
    const part = parts.find((p) => p.name === 'resource')?.resource;
    if (!part)
      throw new BadRequestError('Parameters must have a resource part', 'required', ['Parameters.parameter']);
    resource = part;
    mode = parts.find((p) => p.name === 'mode')?.valueCode ?? mode;
  }
  if (mode !== undefined && mode !== 'create' && mode !== 'update') {
    throw new BadRequestError(`mode must be create or update, not '${mode}'`, 'value');
  }
  return { resource, mode: (mode ?? 'general') as ValidationMode };
}

async function writeRuleIssues(
  resource: Resource,
  mode: ValidationMode,
  ctx: RequestContext,
): Promise<Issue[]> {
  if (identifiedByNhsNumber(resource.resourceType)) {
    const nhs = (resource as Patient).identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
    const id = mode === 'update' ? resource.id : nhs;
    if (!id)
      return [
        {
          code: 'required',
          diagnostics: 'A Patient needs its NHS number identifier',
          expression: ['Patient.identifier'],
        },
      ];
    const problem = nhsNumberProblem(id);
    return problem ? [{ code: 'value', diagnostics: problem, expression: ['Patient.identifier'] }] : [];
  }
  try {
    const nhs = patientOf(resource);
    const { facts } = await readAccessFacts(nhs, ctx.caller.odsCode);
    const decision = decideRecordAccess(ctx.caller, 'TREAT', facts, resource.resourceType, 'c');
    // Unaudited, so it tells an organisation without a relationship nothing about registration: one answer
    // for "not registered" and "no relationship" (CONTRACT §4).
    if (!decision.allowed || !facts.patientRegistered) {
      return [
        {
          code: 'processing',
          diagnostics:
            'The referenced patient is not registered, or this organisation has no legitimate relationship with them',
        },
      ];
    }
  } catch (e) {
    if (e instanceof OperationOutcomeError) return e.issues;
    throw e;
  }
  if (mode === 'update' && !resource.id) {
    return [
      {
        code: 'required',
        diagnostics: 'An update needs the resource id',
        expression: [`${resource.resourceType}.id`],
      },
    ];
  }
  return [];
}
