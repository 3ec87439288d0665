import type { BackportSubscription } from './backport.ts';
import type { DeliveryState } from './delivery-state.ts';
import type { StoredSubscription } from './subscription-store.ts';

/**
 * The Subscription a supplier reads back: as it was made (never with its secret, which is kept apart), with
 * the status its deliveries have reached and, in `error`, the last error.
 */
export function subscriptionResource(
  subscription: StoredSubscription,
  state: DeliveryState,
): BackportSubscription {
  const { error: _stale, ...resource } = subscription.resource;
  return {
    ...resource,
    status: state.status,
    ...(state.status === 'error' && state.lastError ? { error: state.lastError } : {}),
  };
}
