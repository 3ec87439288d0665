import { describe, expect, it } from 'vitest';
import { claimDelivery, recordDelivered, recordFailed } from '#shared/notifications/delivery-ledger';

// The (subscription, eventId) ledger against DynamoDB Local: what makes each event reach each subscriber once.
describe('delivery ledger', () => {
  it('numbers a new event, and lets no second attempt claim it while the first holds its lease', async () => {
    const subscription = crypto.randomUUID();

    const first = await claimDelivery(subscription, 'event-1', 60);
    const second = await claimDelivery(subscription, 'event-1', 60);

    expect(first).toEqual({ outcome: 'claimed', eventNumber: 1 });
    expect(second).toMatchObject({ outcome: 'busy' });
    expect((second as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50);
  });

  it('keeps the number across a failed attempt, and reports a delivered event as delivered', async () => {
    const subscription = crypto.randomUUID();
    await claimDelivery(subscription, 'event-1', 60);
    await recordFailed(subscription, 'event-1', 'The endpoint answered HTTP 503', false);

    const retry = await claimDelivery(subscription, 'event-1', 60);
    await recordDelivered(subscription, 'event-1');
    const duplicate = await claimDelivery(subscription, 'event-1', 60);
    const next = await claimDelivery(subscription, 'event-2', 60);

    expect(retry).toEqual({ outcome: 'claimed', eventNumber: 1 });
    expect(duplicate).toEqual({ outcome: 'delivered' });
    expect(next).toEqual({ outcome: 'claimed', eventNumber: 2 });
  });

  it('grants one of many simultaneous claims of the same event', async () => {
    const subscription = crypto.randomUUID();

    const claims = await Promise.all(
      Array.from({ length: 10 }, () => claimDelivery(subscription, 'event-1', 60)),
    );

    expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
  });
});
