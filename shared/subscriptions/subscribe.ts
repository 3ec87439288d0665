import { decideRecordAccess } from '../access/access-policy.ts';
import { hasScope } from '../access/scopes.ts';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import { ForbiddenError } from '../fhir/operation-outcome.ts';
import { assertValidResource } from '../fhir/resource-validation.ts';
import type { RequestContext } from '../http/request-context.ts';
import { auditedRecordAccess } from '../interactions/audited-access.ts';
import { BACKPORT_SUBSCRIPTION_PROFILE, type BackportSubscription } from './backport.ts';
import { assertPublicEndpoint } from './endpoint-resolution.ts';
import { parseSubscriptionRequest } from './subscription-request.ts';
import { withoutHeaderValues } from './subscription-resource.ts';
import { createSubscription, type StoredSubscription } from './subscription-store.ts';

/**
 * `POST /Subscription`: checks the Subscription, authorises its filter and stores it, active.
 * A `patient` filter needs a legitimate relationship with the patient, decided and audited as a read of the
 * record is, but never by break-glass: an emergency justifies one look, not a standing feed. A
 * `general-practitioner` filter is for that practice alone.
 * @returns the Subscription as stored (without its secret)
 */
export async function subscribe(
  ctx: RequestContext,
  body: Record<string, unknown>,
): Promise<BackportSubscription> {
  const { caller } = ctx;
  if (!hasScope(caller.scopes, 'Subscription', 'c')) {
    throw new ForbiddenError("The client's scopes do not allow creating Subscription");
  }
  assertValidResource(body, 'Subscription');
  const request = parseSubscriptionRequest(body);
  await assertPublicEndpoint(request.endpoint);

  const id = crypto.randomUUID();
  const lastUpdated = new Date().toISOString();
  const resource: BackportSubscription = {
    ...withoutHeaderValues(request.resource),
    id,
    status: 'active',
    meta: {
      ...request.resource.meta,
      versionId: '1',
      lastUpdated,
      profile: [BACKPORT_SUBSCRIPTION_PROFILE],
      tag: [{ system: ODS_CODE_SYSTEM, code: caller.odsCode }],
    },
  };
  const subscription: StoredSubscription = {
    id,
    owner: caller,
    fhirBase: ctx.fhirBase,
    topic: request.topic.code,
    filter: request.filter,
    endpoint: request.endpoint.url.href,
    local: request.endpoint.local,
    headers: request.headers,
    content: request.content,
    ...(request.secret ? { secret: request.secret } : {}),
    ...(request.end ? { end: request.end } : {}),
    resource,
    deleted: false,
  };

  const { filter } = request;
  if (filter.kind === 'general-practitioner') {
    if (filter.odsCode !== caller.odsCode) {
      throw new ForbiddenError(
        `Only the practice ${filter.odsCode} itself may subscribe to the events of its registered patients`,
      );
    }
    await createSubscription(subscription);
    return resource;
  }
  return auditedRecordAccess(
    ctx,
    filter.nhsNumber,
    {
      interaction: 'create',
      resourceType: 'Subscription',
      permission: 'c',
      decide: (who, facts) => decideRecordAccess(who, 'TREAT', facts, 'Subscription', 'c'),
    },
    async () => {
      await createSubscription(subscription);
      return { value: resource, references: [`Subscription/${id}`] };
    },
  );
}
