import type { OperationOutcome } from '@medplum/fhirtypes';
import { BadRequestError, operationOutcome } from '../fhir/operation-outcome.ts';
import { assertValidResource } from '../fhir/resource-validation.ts';
import { assertPublicEndpoint } from './endpoint-resolution.ts';
import { parseSubscriptionRequest } from './subscription-request.ts';

/**
 * `POST /Subscription/$validate`: the checks a create would make of the resource itself (base FHIR R4, topic,
 * filter, channel, endpoint), storing nothing. The body is the Subscription, or a Parameters with a `resource`.
 * @throws OperationOutcomeError with the first problem found
 */
export async function validateSubscription(body: Record<string, unknown>): Promise<OperationOutcome> {
  let resource = body;
  if (body.resourceType === 'Parameters') {
    const parts = (body.parameter ?? []) as { name?: string; resource?: Record<string, unknown> }[];
    const part = parts.find((p) => p.name === 'resource')?.resource;
    if (!part) throw new BadRequestError('Parameters must have a resource part', 'required');
    resource = part;
  }
  assertValidResource(resource, 'Subscription');
  await assertPublicEndpoint(parseSubscriptionRequest(resource).endpoint);
  return operationOutcome([
    { severity: 'information', code: 'informational', diagnostics: 'The Subscription is valid' },
  ]);
}
