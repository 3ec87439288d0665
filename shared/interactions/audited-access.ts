import { decideRecordAccess, type RecordAccessDecision } from '../access/access-policy.ts';
import type { Caller } from '../access/access-token.ts';
import type { RecordAccessFacts } from '../access/record-access-facts.ts';
import type { Permission } from '../access/scopes.ts';
import type { AuditFacts } from '../audit/audit-event.ts';
import type { OutboxEvent } from '../events/detail-types.ts';
import { ForbiddenError, NotFoundError, OperationOutcomeError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readAccessFacts, writeJournalEntry } from '../record/access-facts-store.ts';
import { journalItem } from '../record/journal-entry.ts';
import type { StoredResource } from '../record/record-store.ts';
import { patientPartition } from '../service/table-design.ts';

/** What a read of a patient's record is, for deciding and for the audit trail. */
export interface AccessSpec {
  interaction: string;
  resourceType: string;
  permission: Permission;
  /** Resources to fetch in the same round trip as the access facts. */
  resourceKeys?: { PK: string; SK: string }[];
  /** The search or operation query, kept in the audit entry. */
  query?: string;
  /** A different rule from the record's relationship rule (the audit trail's own). */
  decide?: (caller: Caller, facts: RecordAccessFacts) => RecordAccessDecision;
  /**
   * The 404 when what is asked for is hidden from the caller, asked once the caller may read the record at
   * all: what is hidden does not exist for the caller on any path (CONTRACT §4), deleted or not.
   */
  absent?: (facts: RecordAccessFacts, resources: StoredResource[]) => NotFoundError | undefined;
  /** The read stands whether or not the patient is registered (the audit trail, always open to the auditor). */
  registrationAside?: true;
}

/** What a permitted read is given to work with. */
export interface GrantedAccess {
  facts: RecordAccessFacts;
  decision: Extract<RecordAccessDecision, { allowed: true }>;
  patient?: StoredResource;
  resources: StoredResource[];
}

/**
 * Runs a read of a patient's record under the access rules, and audits it whatever the outcome: the facts
 * are read, the policy decides, the read runs, and the AuditEvent (with an `Access.BreakGlass` event when it
 * was an emergency access) is written before anything is returned. No audit, no data: 503.
 */
export async function auditedRecordAccess<T>(
  ctx: RequestContext,
  nhsNumber: string,
  spec: AccessSpec,
  run: (access: GrantedAccess) => Promise<{ value: T; references: string[] }>,
): Promise<T> {
  const { facts, patient, resources } = await readAccessFacts(
    nhsNumber,
    ctx.caller.odsCode,
    spec.resourceKeys,
  );
  const audit = (
    outcome: '0' | '4',
    references: string[],
    outcomeDesc?: string,
    events: OutboxEvent[] = [],
  ) =>
    writeAudit(ctx, nhsNumber, {
      interaction: spec.interaction,
      action: spec.interaction === 'operation' ? 'E' : 'R',
      outcome,
      outcomeDesc,
      resources: references,
      query: spec.query,
      events,
    });

  // The relationship is decided before registration: no one has a relationship with a patient who is not
  // registered, so "not registered" and "no relationship" answer the same 403 to a caller without one.
  const decision = (spec.decide ?? defaultDecision(ctx, spec))(ctx.caller, facts);
  if (!decision.allowed) {
    await audit('4', [], decision.reason);
    throw new ForbiddenError(decision.reason);
  }
  const absent = spec.absent?.(facts, resources);
  if (absent) {
    await audit('4', [], absent.issues[0]?.diagnostics);
    throw absent;
  }
  if (!facts.patientRegistered && !spec.registrationAside) {
    await audit('4', [], 'Patient not registered');
    throw new NotFoundError(`Patient/${nhsNumber} is not registered`);
  }
  let result: { value: T; references: string[] };
  try {
    result = await run({ facts, decision, patient, resources });
  } catch (e) {
    if (e instanceof OperationOutcomeError) await audit('4', [], e.issues[0]?.diagnostics);
    throw e;
  }
  const breakGlass: OutboxEvent[] =
    decision.basis === 'break-glass'
      ? [
          {
            detailType: 'Access.BreakGlass',
            detail: {
              patient: `Patient/${nhsNumber}`,
              organisation: ctx.caller.odsCode,
              client: ctx.caller.clientId,
            },
          },
        ]
      : [];
  await audit('0', result.references, undefined, breakGlass);
  return result.value;
}

function defaultDecision(ctx: RequestContext, spec: AccessSpec) {
  return (caller: Caller, facts: RecordAccessFacts) =>
    decideRecordAccess(caller, ctx.purpose.code, facts, spec.resourceType, spec.permission);
}

/** Audits a refused change to a patient's record (outcome 4) and returns the 403 to throw. */
export function refusedChange(
  ctx: RequestContext,
  nhsNumber: string,
  interaction: 'create' | 'update' | 'delete',
  reason: string,
): Promise<ForbiddenError> {
  return auditedRefusal(ctx, nhsNumber, interaction, new ForbiddenError(reason));
}

/** Audits a change to a patient's record refused with `error` (outcome 4) and returns the error to throw. */
export async function auditedRefusal<E extends OperationOutcomeError>(
  ctx: RequestContext,
  nhsNumber: string,
  interaction: 'create' | 'update' | 'delete',
  error: E,
): Promise<E> {
  await writeAudit(ctx, nhsNumber, {
    interaction,
    action: interaction === 'create' ? 'C' : interaction === 'update' ? 'U' : 'D',
    outcome: '4',
    outcomeDesc: error.issues[0]?.diagnostics,
  });
  return error;
}

/** Writes one journal entry on its own: this request's AuditEvent and any events it raises. */
function writeAudit(
  ctx: RequestContext,
  nhsNumber: string,
  facts: Omit<AuditFacts, 'caller' | 'endUser' | 'purpose' | 'patient'> & { events?: OutboxEvent[] },
): Promise<void> {
  const { events = [], ...what } = facts;
  return writeJournalEntry(
    journalItem({
      partition: patientPartition(nhsNumber),
      audit: {
        caller: ctx.caller,
        endUser: ctx.endUser,
        purpose: ctx.purpose,
        patient: nhsNumber,
        ...what,
      },
      events,
    }),
  );
}
