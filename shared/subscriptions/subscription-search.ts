/**
 * What `GET /Subscription` takes: it lists the caller's own subscriptions, by status. Declared once for the
 * handler and the OpenAPI document.
 */
export const SUBSCRIPTION_SEARCH_PARAMETERS = ['status', '_count'] as const;

/** What the type-level `$status` takes: ids and statuses to narrow the caller's subscriptions to. */
export const SUBSCRIPTION_STATUS_PARAMETERS = ['id', 'status'] as const;
