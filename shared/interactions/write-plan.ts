import type { Resource } from '@medplum/fhirtypes';
import { auditEvent } from '../audit/audit-event.ts';
import type { OutboxEvent } from '../events/detail-types.ts';
import type { RequestContext } from '../http/request-context.ts';
import { journalItem } from '../record/journal-entry.ts';
import { commit, type ResourceWrite } from '../record/record-store.ts';
import { patientPartition } from '../record/table-design.ts';

/** A write worked out but not yet made: what to store, for which patient, what to answer and what it raises. */
export interface WritePlan {
  interaction: 'create' | 'update' | 'delete';
  write: ResourceWrite;
  /** The NHS number of the record written to. */
  patient: string;
  /** True when the patient must be registered for the write to land (clinical resources). */
  requiresRegisteredPatient: boolean;
  response: { status: number; resource?: Resource; location?: string };
  events: OutboxEvent[];
}

const ACTION = { create: 'C', update: 'U', delete: 'D' } as const;

/**
 * Makes planned writes in one transaction, each patient's record with its journal entry (the AuditEvent
 * naming every resource written, and the events raised), so the change, its audit and its events land
 * together or not at all.
 */
export async function commitPlans(
  plans: WritePlan[],
  ctx: RequestContext,
  interaction?: string,
): Promise<void> {
  const byPatient = Map.groupBy(plans, (p) => p.patient);
  const journal = [...byPatient].map(([patient, group]) =>
    journalItem({
      partition: patientPartition(patient),
      auditEvent: auditEvent({
        caller: ctx.caller,
        endUser: ctx.endUser,
        purpose: ctx.purpose,
        interaction: interaction ?? (group[0] as WritePlan).interaction,
        action: group.length === 1 ? ACTION[(group[0] as WritePlan).interaction] : 'E',
        outcome: '0',
        patient,
        resources: group.map((p) => versionReference(p.write.next.resource, p.write.next.versionId)),
      }),
      events: group.flatMap((p) => p.events),
    }),
  );
  // A Patient written in the same transaction is its own proof of registration (and DynamoDB takes one
  // operation per item in a transaction).
  const patientsWritten = new Set(
    plans.filter((p) => p.write.next.resource.resourceType === 'Patient').map((p) => p.patient),
  );
  const registeredPatients = plans
    .filter((p) => p.requiresRegisteredPatient && !patientsWritten.has(p.patient))
    .map((p) => p.patient);
  await commit(
    plans.map((p) => p.write),
    { registeredPatients, items: journal },
  );
}

function versionReference(resource: Resource, versionId: number): string {
  return `${resource.resourceType}/${resource.id}/_history/${versionId}`;
}
