/**
 * One notification to deliver, as it waits in the delivery queue: which subscription, which event, and the
 * event's references. No clinical content, like the event it comes from.
 */
export interface DeliveryMessage {
  subscriptionId: string;
  /** The event's stable id (the outbox's), the key deliveries are deduplicated by. */
  eventId: string;
  detailType: string;
  /** `Encounter/123`: the resource the event is about. */
  focus: string;
  /** `Patient/{nhs}`. */
  patient: string;
  /** When the change was recorded. */
  occurred: string;
}

/**
 * Reads a queued message back, refusing anything that is not one.
 * @throws Error for a malformed body (the worker drops it, since no retry could mend it)
 */
export function parseDeliveryMessage(body: string): DeliveryMessage {
  const m = JSON.parse(body) as Partial<DeliveryMessage>;
  const fields = ['subscriptionId', 'eventId', 'detailType', 'focus', 'patient', 'occurred'] as const;
  for (const field of fields) {
    if (typeof m[field] !== 'string' || m[field] === '') throw new Error(`Delivery message without ${field}`);
  }
  return m as DeliveryMessage;
}
