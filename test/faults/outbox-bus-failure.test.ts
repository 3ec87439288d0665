import { describe, expect, it } from 'vitest';
import { journalItem } from '#shared/record/journal-entry';
import { commit } from '#shared/record/record-store';
import { patientPartition } from '#shared/service/table-design';
import { testAuditFacts } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';
import { sandboxFault } from '../support/subscriptions.ts';

// A patient partition of this file's own: the journal entries it writes touch no other test's patient.
const nhs = newNhsNumber();

interface BusState {
  published: { detail: { eventId: string } }[];
}

async function busState(): Promise<BusState> {
  return (await fetch(`${sandbox().url}/_sandbox/events`)).json() as Promise<BusState>;
}

/** The audit of the journal entries the test writes itself. */
const audit = testAuditFacts(nhs);

describe('transactional outbox when the bus fails (sandbox)', () => {
  it('keeps events while the bus fails, and publishes each once it recovers', async () => {
    await sandboxFault({ eventBridge: 'fail' });
    const ids = Array.from({ length: 5 }, () => crypto.randomUUID());
    try {
      for (const id of ids) {
        await commit([], {
          items: [
            journalItem({
              partition: patientPartition(nhs),
              id: id,
              audit,
              events: [{ detailType: 'Encounter.Admitted', detail: { patient: `Patient/${nhs}` } }],
            }),
          ],
        });
      }
      const during = (await busState()).published.filter((e) =>
        ids.some((id) => e.detail.eventId === `${id}-0`),
      );
      expect(during).toHaveLength(0);
    } finally {
      await sandboxFault({ eventBridge: 'ok' });
    }
    const ours = async () =>
      (await busState()).published.filter((e) => ids.some((id) => e.detail.eventId === `${id}-0`));
    await expect
      .poll(async () => (await ours()).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(ids.length);
    expect(new Set((await ours()).map((e) => e.detail.eventId))).toEqual(new Set(ids.map((id) => `${id}-0`)));
  });
});
