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
  const { error: _stale, ...resource } = withoutHeaderValues(subscription.resource);
  return {
    ...resource,
    status: state.status,
    ...(state.status === 'error' && state.lastError ? { error: state.lastError } : {}),
  };
}

/** Stands in for each `channel.header` value: the receiver's credentials are sent, never shown. */
export const HEADER_VALUE_WITHHELD = '(withheld)';

/**
 * The Subscription with each `channel.header` kept by name only (`Authorization: (withheld)`): the values are
 * often the receiver's credentials, so they go out with notifications and never back in a read.
 */
export function withoutHeaderValues(resource: BackportSubscription): BackportSubscription {
  const header = resource.channel?.header;
  if (!header?.length) return resource;
  return {
    ...resource,
    channel: {
      ...resource.channel,
      header: header.map((h) => `${h.split(':')[0]?.trim()}: ${HEADER_VALUE_WITHHELD}`),
    },
  };
}
