import type { Caller } from '../access/access-token.ts';
import { hasScope, type Permission } from '../access/scopes.ts';
import { ForbiddenError, GoneError, NotFoundError } from '../fhir/operation-outcome.ts';
import { assertResourceId } from '../fhir/resource-id.ts';
import type { DeliveryState } from './delivery-state.ts';
import { readSubscription, type StoredSubscription } from './subscription-store.ts';

/**
 * A subscription the caller's organisation made, for reading, deleting or asking its status. Another
 * organisation's is `404`, as if it did not exist: its endpoint and headers are that organisation's business.
 * @throws NotFoundError, GoneError (deleted), ForbiddenError (scopes)
 */
export async function ownedSubscription(
  caller: Caller,
  id: string,
  permission: Permission,
): Promise<{ subscription: StoredSubscription; state: DeliveryState }> {
  if (!hasScope(caller.scopes, 'Subscription', permission)) {
    throw new ForbiddenError(`The client's scopes do not allow ${permission} on Subscription`);
  }
  assertResourceId(id);
  const found = await readSubscription(id);
  if (!found || found.subscription.owner.odsCode !== caller.odsCode) {
    throw new NotFoundError(`Subscription/${id} is not known`);
  }
  if (found.subscription.deleted) throw new GoneError(`Subscription/${id} was deleted`);
  return found;
}
