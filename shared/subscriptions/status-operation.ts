import type { Bundle } from '@medplum/fhirtypes';
import type { DeliveryState } from './delivery-state.ts';
import { subscriptionStatus } from './subscription-status.ts';
import type { StoredSubscription } from './subscription-store.ts';
import { subscriptionTopics } from './subscription-topics.ts';

/**
 * The backport's `$status` answer: a `searchset` Bundle with one SubscriptionStatus Parameters (`query-status`)
 * per subscription asked about, each with its delivery state and last error.
 */
export function statusBundle(
  subscriptions: { subscription: StoredSubscription; state: DeliveryState }[],
  fhirBase: string,
): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: subscriptions.length,
    entry: subscriptions.map(({ subscription, state }) => ({
      resource: subscriptionStatus({
        subscription: `${fhirBase}/Subscription/${subscription.id}`,
        topic: subscriptionTopics.find((t) => t.code === subscription.topic)?.url,
        type: 'query-status',
        state,
        fhirBase,
      }),
      search: { mode: 'match' },
    })),
  };
}
