import type { Resource } from '@medplum/fhirtypes';
import { type StagedDocument, withStagedDocuments } from '../documents/staged-documents.ts';
import type { OutboxEvent } from '../events/detail-types.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { countRelationshipStarted } from '../observability/service-metrics.ts';
import { journalItem } from '../record/journal-entry.ts';
import { commit, type ResourceWrite } from '../record/record-store.ts';
import { identifiedByNhsNumber, resourceType } from '../service/resource-types.ts';
import { OBJECTION_KEY, patientPartition } from '../service/table-design.ts';
import { type KnownFacts, relationshipChanges, relationshipStartedEvents } from './relationship-claims.ts';

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
  /** Further resource writes of the same request (the documents a DocumentReference supersedes). */
  related?: ResourceWrite[];
  /** Further items put in the same transaction (the pointers of a document's Binaries). */
  items?: Record<string, unknown>[];
  /** Document bytes put in S3 before the transaction, and deleted again if it fails. */
  staged?: StagedDocument[];
  /** Relationship facts read with the resource while planning, so the commit need not read them again. */
  known?: KnownFacts;
}

const ACTION = { create: 'C', update: 'U', delete: 'D' } as const;

/**
 * Makes planned writes in one transaction, each patient's record with its journal entry (the AuditEvent
 * naming every resource written, and the events raised), so the change, its audit and its events land
 * together or not at all. Each needs a relationship with the patient, or claims one by recording a care
 * context; the organisations' relationship facts change in the same transaction.
 */
export async function commitPlans(
  plans: WritePlan[],
  ctx: RequestContext,
  interaction?: string,
): Promise<void> {
  const relationships = await relationshipChanges(plans, ctx);
  const byPatient = Map.groupBy(plans, (p) => p.patient);
  const journal = [...byPatient].map(([patient, group]) => {
    const started = relationships.started.get(patient) ?? [];
    return journalItem({
      partition: patientPartition(patient),
      audit: {
        caller: ctx.caller,
        endUser: ctx.endUser,
        purpose: ctx.purpose,
        interaction: interaction ?? (group[0] as WritePlan).interaction,
        action: group.length === 1 ? ACTION[(group[0] as WritePlan).interaction] : 'E',
        outcome: '0',
        patient,
        resources: group.flatMap((p) =>
          [p.write, ...(p.related ?? [])].map((w) => versionReference(w.next.resource, w.next.versionId)),
        ),
        relationshipStarted: started.map((s) => s.organisation),
      },
      events: [...group.flatMap((p) => p.events), ...relationshipStartedEvents(patient, started, ctx)],
    });
  });
  // A Patient written in the same transaction is its own proof of registration (and DynamoDB takes one
  // operation per item in a transaction). So is one the strongly consistent read found registered: a Patient is
  // never deleted (CONTRACT §3), so it is registered still when the transaction lands, and the transaction
  // carries no check of it (an item fewer). Only a patient the read found unregistered is checked, to answer 422.
  const patientsWritten = new Set(
    plans.filter((p) => identifiedByNhsNumber(p.write.next.resource.resourceType)).map((p) => p.patient),
  );
  const registeredPatients = plans
    .filter(
      (p) =>
        p.requiresRegisteredPatient &&
        !patientsWritten.has(p.patient) &&
        !relationships.registered.has(p.patient),
    )
    .map((p) => p.patient);
  const items = [...journal, ...plans.flatMap((p) => p.items ?? [])];
  await withStagedDocuments(
    plans.flatMap((p) => p.staged ?? []),
    () =>
      commit(
        plans.flatMap((p) => [p.write, ...(p.related ?? [])]),
        { registeredPatients, items, updates: [...objectionUpdates(plans), ...relationships.updates] },
      ),
  );
  for (const started of relationships.started.values()) {
    for (const { organisation } of started) countRelationshipStarted(organisation);
  }
}

/**
 * Keeps each patient's set of objecting Consents in step with the Consents written or deleted: one update per
 * patient, since a transaction may touch an item once.
 */
function objectionUpdates(plans: WritePlan[]) {
  const changes = new Map<string, { add: string[]; remove: string[] }>();
  for (const plan of plans) {
    const { resource, deleted } = plan.write.next;
    const objection = resourceType(resource.resourceType)?.objection;
    if (!objection) continue;
    const change = changes.get(plan.patient) ?? { add: [], remove: [] };
    (!deleted && objection(resource) ? change.add : change.remove).push(resource.id as string);
    changes.set(plan.patient, change);
  }
  return [...changes].map(([patient, { add, remove }]) => {
    if (add.length && remove.length) {
      throw new BadRequestError(
        'One transaction may not both record and withdraw objections to sharing for a patient',
      );
    }
    return {
      Key: { PK: patientPartition(patient), SK: OBJECTION_KEY },
      UpdateExpression: add.length ? 'ADD consents :ids' : 'DELETE consents :ids',
      ExpressionAttributeValues: { ':ids': new Set(add.length ? add : remove) },
    };
  });
}

function versionReference(resource: Resource, versionId: number): string {
  return `${resource.resourceType}/${resource.id}/_history/${versionId}`;
}
