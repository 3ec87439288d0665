import { describe, expect, it } from 'vitest';
import { journalItem } from '#shared/record/journal-entry';
import { commit } from '#shared/record/record-store';
import { patientPartition } from '#shared/service/table-design';
import { EVENTUALLY_MS } from '../support/eventually.ts';
import { testAuditFacts } from '../support/fixtures.ts';
import { newNhsNumber } from '../support/nhs-numbers.ts';
import { sandbox } from '../support/sandbox-client.ts';

// A patient partition of this file's own: the journal entries it writes touch no other test's patient.
const nhs = newNhsNumber();

interface BusState {
  published: { 'detail-type': string; source: string; detail: { eventId: string; patient?: string } }[];
}

async function busState(): Promise<BusState> {
  return (await fetch(`${sandbox().url}/_sandbox/events`)).json() as Promise<BusState>;
}

/** The published event with this id, once it is on the bus. */
async function publishedEvent(eventId: string): Promise<BusState['published'][number]> {
  const find = async () => (await busState()).published.find((e) => e.detail.eventId === eventId);
  await expect.poll(find, { timeout: EVENTUALLY_MS }).toBeDefined();
  return (await find()) as BusState['published'][number];
}

/** The audit of the journal entries the test writes itself. */
const audit = testAuditFacts(nhs);

describe('transactional outbox through the table stream (sandbox)', () => {
  it('publishes the events of a committed journal entry to the bus, with their stable ids', async () => {
    const id = crypto.randomUUID();
    await commit([], {
      items: [
        journalItem({
          partition: patientPartition(nhs),
          id: id,
          audit,
          events: [{ detailType: 'Access.BreakGlass', detail: { patient: `Patient/${nhs}` } }],
        }),
      ],
    });
    const event = await publishedEvent(`${id}-0`);
    expect(event.source).toBe('shared-care-record');
    expect(event['detail-type']).toBe('Access.BreakGlass');
    expect(event.detail.patient).toBe(`Patient/${nhs}`);
  });

  it('publishes nothing for a journal entry without events (the stream filter drops it)', async () => {
    const quiet = crypto.randomUUID();
    const loud = crypto.randomUUID();
    const partition = patientPartition(nhs);
    await commit([], { items: [journalItem({ partition, id: quiet, audit, events: [] })] });
    await commit([], {
      items: [
        journalItem({
          partition,
          id: loud,
          audit,
          events: [{ detailType: 'Patient.Deceased', detail: {} }],
        }),
      ],
    });
    // The later entry's event arriving shows the stream has been read past the earlier one.
    await publishedEvent(`${loud}-0`);
    const published = (await busState()).published;
    expect(published.some((e) => e.detail.eventId?.startsWith(quiet))).toBe(false);
  });
});
