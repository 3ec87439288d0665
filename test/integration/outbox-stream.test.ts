import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { journalItem } from '#shared/record/journal-entry';
import { commit } from '#shared/record/record-store';
import { patientPartition } from '#shared/service/table-design';
import { sandbox } from '../support/sandbox-client.ts';

interface BusState {
  published: { 'detail-type': string; source: string; detail: { eventId: string; patient?: string } }[];
}

async function busState(): Promise<BusState> {
  return (await fetch(`${sandbox().url}/_sandbox/events`)).json() as Promise<BusState>;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function auditEvent(id: string): AuditEvent & { id: string; recorded: string } {
  return {
    resourceType: 'AuditEvent',
    id,
    recorded: new Date().toISOString(),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
    agent: [{ requestor: true, who: { display: 'integration test' } }],
    source: { observer: { display: 'integration test' } },
  };
}

describe('transactional outbox through the table stream (sandbox)', () => {
  it('publishes the events of a committed journal entry to the bus, with their stable ids', async () => {
    const id = crypto.randomUUID();
    await commit([], {
      items: [
        journalItem({
          partition: patientPartition('9000000009'),
          auditEvent: auditEvent(id),
          events: [{ detailType: 'Access.BreakGlass', detail: { patient: 'Patient/9000000009' } }],
        }),
      ],
    });
    const event = await waitFor(async () =>
      (await busState()).published.find((e) => e.detail.eventId === `${id}-0`),
    );
    expect(event.source).toBe('shared-care-record');
    expect(event['detail-type']).toBe('Access.BreakGlass');
    expect(event.detail.patient).toBe('Patient/9000000009');
  });

  it('publishes nothing for a journal entry without events (the stream filter drops it)', async () => {
    const quiet = crypto.randomUUID();
    const loud = crypto.randomUUID();
    const partition = patientPartition('9000000009');
    await commit([], { items: [journalItem({ partition, auditEvent: auditEvent(quiet), events: [] })] });
    await commit([], {
      items: [
        journalItem({
          partition,
          auditEvent: auditEvent(loud),
          events: [{ detailType: 'Patient.Deceased', detail: {} }],
        }),
      ],
    });
    // The later entry's event arriving shows the stream has been read past the earlier one.
    await waitFor(async () => (await busState()).published.find((e) => e.detail.eventId === `${loud}-0`));
    const published = (await busState()).published;
    expect(published.some((e) => e.detail.eventId?.startsWith(quiet))).toBe(false);
  });

  it('keeps events while the bus fails, and publishes each once it recovers', async () => {
    await fetch(`${sandbox().url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ eventBridge: 'fail' }),
    });
    const ids = Array.from({ length: 5 }, () => crypto.randomUUID());
    try {
      for (const id of ids) {
        await commit([], {
          items: [
            journalItem({
              partition: patientPartition('9000000017'),
              auditEvent: auditEvent(id),
              events: [{ detailType: 'Encounter.Admitted', detail: { patient: 'Patient/9000000017' } }],
            }),
          ],
        });
      }
      await new Promise((r) => setTimeout(r, 500));
      const during = (await busState()).published.filter((e) =>
        ids.some((id) => e.detail.eventId === `${id}-0`),
      );
      expect(during).toHaveLength(0);
    } finally {
      await fetch(`${sandbox().url}/_sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ eventBridge: 'ok' }),
      });
    }
    const after = await waitFor(async () => {
      const found = (await busState()).published.filter((e) =>
        ids.some((id) => e.detail.eventId === `${id}-0`),
      );
      return found.length === ids.length ? found : undefined;
    });
    expect(new Set(after.map((e) => e.detail.eventId)).size).toBe(ids.length);
  });
});
