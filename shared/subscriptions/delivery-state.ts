/** The delivery side of a subscription, which `$status` and reads show (the backport's SubscriptionStatus). */
export interface DeliveryState {
  /** `active` while deliveries succeed, `error` after one failed, `off` once deleted. */
  status: 'active' | 'error' | 'off';
  /** Events numbered for this subscription so far (the backport's events-since-subscription-start). */
  eventsSinceStart: number;
  /** Notifications the endpoint accepted. */
  delivered: number;
  /** Notifications given up on after every attempt, left in the dead-letter queue. */
  deadLettered: number;
  lastDelivered?: string;
  lastError?: string;
  lastErrorAt?: string;
}

/** A delivery state from its table item (absent: a new subscription's). */
export function deliveryStateFromItem(item: Record<string, unknown> | undefined): DeliveryState {
  return {
    status: (item?.status as DeliveryState['status'] | undefined) ?? 'active',
    eventsSinceStart: Number(item?.eventsSinceStart ?? 0),
    delivered: Number(item?.delivered ?? 0),
    deadLettered: Number(item?.deadLettered ?? 0),
    ...(item?.lastDelivered ? { lastDelivered: String(item.lastDelivered) } : {}),
    ...(item?.lastError ? { lastError: String(item.lastError) } : {}),
    ...(item?.lastErrorAt ? { lastErrorAt: String(item.lastErrorAt) } : {}),
  };
}
