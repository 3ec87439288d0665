import type { AuditEvent } from '@medplum/fhirtypes';
import type { OutboxEvent } from '../events/detail-types.ts';
import { journalKey } from '../service/table-design.ts';

/**
 * What one request did to one patient's record: its AuditEvent, and the events it raises (the outbox).
 * It is written in the same transaction as the change it records (or, for a read, before data is returned),
 * and the table's stream publishes its events: an audit entry that is also the transactional outbox.
 */
export interface JournalEntry {
  partition: string;
  auditEvent: AuditEvent & { id: string; recorded: string };
  events: OutboxEvent[];
}

/** The table item of a journal entry; each event gets an id stable across publishing retries. */
export function journalItem(entry: JournalEntry): Record<string, unknown> {
  const { id, recorded } = entry.auditEvent;
  return {
    PK: entry.partition,
    SK: journalKey(recorded, id),
    auditEvent: JSON.stringify(entry.auditEvent),
    recorded,
    ...(entry.events.length
      ? {
          hasOutbox: true,
          outbox: entry.events.map((e, i) => ({
            detailType: e.detailType,
            detail: JSON.stringify({ ...e.detail, eventId: `${id}-${i}` }),
          })),
        }
      : {}),
  };
}
