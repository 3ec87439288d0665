import type { AuditEvent } from '@medplum/fhirtypes';
import { type AuditFacts, auditEvent } from '../audit/audit-event.ts';
import type { OutboxEvent } from '../events/detail-types.ts';
import { journalKey, PATIENT_PREFIX } from '../service/table-design.ts';

/**
 * What one request did to one patient's record: the facts of its audit, and the events it raises (the outbox).
 * It is written in the same transaction as the change it records (or, for a read, before data is returned),
 * and the table's stream publishes its events: an audit entry that is also the transactional outbox.
 */
export interface JournalEntry {
  partition: string;
  audit: AuditFacts;
  events: OutboxEvent[];
  /** The entry's id: its AuditEvent's, and the stem of its events' ids. A new one when not given. */
  id?: string;
}

type Item = Record<string, unknown>;

/**
 * The table item of a journal entry. It keeps the audit facts under short names, not a rendered AuditEvent:
 * a write's entry then fits in 1 KB (one write unit, two in a transaction) instead of two, and an `$everything`
 * page names its 50 resources in one string. The AuditEvent is rendered when the trail is read
 * (`auditEventOf`). Each event gets an id stable across publishing retries.
 */
export function journalItem(entry: JournalEntry): Item {
  const id = entry.id ?? crypto.randomUUID();
  const { audit } = entry;
  const recorded = (audit.recorded ?? new Date()).toISOString();
  return {
    PK: entry.partition,
    SK: journalKey(recorded, id),
    cl: audit.caller.clientId,
    org: audit.caller.odsCode,
    ...(audit.endUser ? { eu: audit.endUser.id } : {}),
    ...(audit.endUser?.role ? { er: audit.endUser.role } : {}),
    ...(audit.purpose.code === 'ETREAT' ? { bg: audit.purpose.breakGlassReason ?? '' } : {}),
    in: audit.interaction,
    ac: audit.action,
    oc: audit.outcome,
    ...(audit.outcomeDesc ? { od: audit.outcomeDesc } : {}),
    ...(audit.query ? { q: audit.query } : {}),
    ...(audit.resources?.length ? compactReferences(audit.resources) : {}),
    ...(audit.relationshipStarted?.length ? { rs: audit.relationshipStarted.join(' ') } : {}),
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

/**
 * The journal item of an audit about no one patient's record (a bulk export, CONTRACT §8): its AuditEvent kept
 * rendered, as `auditEventOf` reads entries of the first form. Such entries are rare and shaped apart from the
 * per-patient facts above, so compacting them would buy nothing.
 */
export function renderedJournalItem(
  partition: string,
  auditEvent: AuditEvent & { id: string; recorded: string },
): Item {
  return {
    PK: partition,
    SK: journalKey(auditEvent.recorded, auditEvent.id),
    auditEvent: JSON.stringify(auditEvent),
  };
}

/** When a journal entry was recorded: the instant in its sort key (`_journal#<recorded>#<id>`). */
export function journalRecorded(item: Item): string {
  return (item.SK as string).split('#')[1] as string;
}

/** The FHIR AuditEvent of a journal item, as it was when the entry was written. */
export function auditEventOf(item: Item): AuditEvent & { id: string; recorded: string } {
  // Entries written before the compact form carry their AuditEvent rendered.
  if (typeof item.auditEvent === 'string') return JSON.parse(item.auditEvent);
  const [, recorded, id] = (item.SK as string).split('#') as [string, string, string];
  const text = (name: string) => item[name] as string | undefined;
  return auditEvent(
    {
      caller: { clientId: text('cl') as string, odsCode: text('org') as string },
      ...(item.eu !== undefined
        ? { endUser: { id: text('eu') as string, ...(item.er ? { role: text('er') } : {}) } }
        : {}),
      purpose: item.bg !== undefined ? { code: 'ETREAT', breakGlassReason: text('bg') } : { code: 'TREAT' },
      interaction: text('in') as string,
      action: text('ac') as AuditFacts['action'],
      outcome: text('oc') as AuditFacts['outcome'],
      ...(item.od !== undefined ? { outcomeDesc: text('od') } : {}),
      patient: (item.PK as string).slice(PATIENT_PREFIX.length),
      ...(item.re !== undefined || item.rj !== undefined ? { resources: referencesOf(item) } : {}),
      ...(item.q !== undefined ? { query: text('q') } : {}),
      ...(item.rs !== undefined ? { relationshipStarted: (text('rs') as string).split(' ') } : {}),
      recorded: new Date(recorded),
    },
    id,
  );
}

// `Type/id` or `Type/id/_history/n`, with a FHIR id: none of `:`, `,`, `;` or `/` inside a part.
const REFERENCE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/(\d+))?$/;

/**
 * References in order, each type written once for a run of references of that type:
 * `Observation:a/2,b/1;Condition:c` for Observation/a/_history/2, Observation/b/_history/1, Condition/c.
 * Anything else (none is made today) is kept as a JSON list instead, so nothing is ever lost.
 */
function compactReferences(references: string[]): Item {
  const parts = references.map((r) => REFERENCE.exec(r));
  if (parts.some((m) => !m)) return { rj: JSON.stringify(references) };
  let text = '';
  let type = '';
  for (const m of parts as RegExpExecArray[]) {
    const [, t, id, version] = m as unknown as [string, string, string, string | undefined];
    text += t === type ? ',' : `${text ? ';' : ''}${t}:`;
    type = t;
    text += version ? `${id}/${version}` : id;
  }
  return { re: text };
}

function referencesOf(item: Item): string[] {
  if (typeof item.rj === 'string') return JSON.parse(item.rj);
  return (item.re as string).split(';').flatMap((run) => {
    const [type, ids] = run.split(':') as [string, string];
    return ids.split(',').map((entry) => {
      const [id, version] = entry.split('/');
      return version ? `${type}/${id}/_history/${version}` : `${type}/${id}`;
    });
  });
}
