import type { Patient } from '@medplum/fhirtypes';
import { hasRelationship, NO_RELATIONSHIP } from '../access/access-policy.ts';
import { type CareContextClaim, type CareContexts, careContextOf } from '../access/care-context.ts';
import { holdsCareContext, relationshipClock } from '../access/legitimate-relationship.ts';
import type { OutboxEvent } from '../events/detail-types.ts';
import type { RequestContext } from '../http/request-context.ts';
import { type RelationshipFacts, readRelationshipFacts } from '../record/access-facts-store.ts';
import type { ResourceWrite } from '../record/record-store.ts';
import { registeredPracticeOf } from '../record/registered-practice.ts';
import { identifiedByNhsNumber } from '../service/resource-types.ts';
import { patientPartition, relationshipKey } from '../service/table-design.ts';
import { refusedChange } from './audited-access.ts';

/** The part of a planned write (`write-plan.ts`) that relationships depend on. */
interface PlannedWrite {
  interaction: 'create' | 'update' | 'delete';
  patient: string;
  write: ResourceWrite;
  /** Relationship facts read with the resource before planning (an update's one read), for these organisations. */
  known?: KnownFacts;
}

/** Relationship facts of one patient, read already, and the organisations they cover. */
export interface KnownFacts {
  patient: string;
  organisations: Set<string>;
  facts: RelationshipFacts;
}

/** What a set of writes does to relationships: the updates to make with them, and who starts one. */
export interface RelationshipChanges {
  /** Updates of relationship items, to ride in the writes' transaction. */
  updates: {
    Key: { PK: string; SK: string };
    UpdateExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  }[];
  /** By patient: the organisations whose relationship these writes start, and the care context that starts it. */
  started: Map<string, { organisation: string; careContext: string }[]>;
  /** Patients the (strongly consistent) read found registered. */
  registered: Set<string>;
}

/**
 * Checks that the caller may write to each patient's record, and works out what the writes do to
 * relationships (CONTRACT §4). Every write needs a relationship, except that recording a care context is itself
 * the claim of one: it is allowed when the care context it records gives the caller a relationship, and it is
 * announced (`Access.RelationshipStarted`) for each organisation that had none before. Registering a new
 * patient needs none (there is no record yet). One BatchGetItem for all the patients written to.
 * @throws ForbiddenError (audited) when the caller has no relationship and does not claim one.
 */
export async function relationshipChanges(
  plans: PlannedWrite[],
  ctx: RequestContext,
): Promise<RelationshipChanges> {
  const caller = ctx.caller.odsCode;
  const byPatient = Map.groupBy(plans, (p) => p.patient);
  const claims = new Map([...byPatient].map(([nhs, group]) => [nhs, group.flatMap(claimsOf)] as const));
  const asked = new Map(
    [...claims].map(([nhs, list]) => [
      nhs,
      new Set([
        caller,
        ...list.flatMap(({ before, after }) => [...(before?.organisations ?? []), ...after.organisations]),
      ]),
    ]),
  );
  // Facts an update read with its resource are used when they cover every organisation asked about.
  const facts = new Map<string, RelationshipFacts>();
  for (const [nhs, organisations] of asked) {
    const known = (byPatient.get(nhs) ?? [])
      .map((p) => p.known)
      .find((k) => k?.patient === nhs && [...organisations].every((ods) => k.organisations.has(ods)));
    if (known) facts.set(nhs, known.facts);
  }
  const unread = new Map([...asked].filter(([nhs]) => !facts.has(nhs)));
  if (unread.size) for (const [nhs, f] of await readRelationshipFacts(unread)) facts.set(nhs, f);
  const clock = relationshipClock();
  const changes: RelationshipChanges = { updates: [], started: new Map(), registered: new Set() };
  for (const [nhs, group] of byPatient) {
    const known = facts.get(nhs);
    if (!known) continue;
    if (known.patientRegistered) changes.registered.add(nhs);
    const registers = group.some((p) => identifiedByNhsNumber(p.write.next.resource.resourceType));
    // An unregistered patient's record: a new registration needs no relationship, and any other write is refused
    // by the transaction's registration check (422), as before.
    if (!known.patientRegistered) {
      if (!registers) continue;
    }
    const after = new Map([...known.careContexts].map(([ods, contexts]) => [ods, { ...contexts }]));
    for (const { before, after: claim } of claims.get(nhs) ?? []) {
      for (const ods of before?.organisations ?? []) delete after.get(ods)?.[claim.reference];
      for (const ods of claim.organisations) (after.get(ods) as CareContexts)[claim.reference] = claim.ends;
    }
    // A care context that ended longer ago than the grace period gives no relationship (CONTRACT §4), so the facts
    // keep only those that still may: the item stays the size of the live relationships, not of every visit
    // ever recorded (it was read and rewritten whole on each write, and would have outgrown its 400 KB).
    for (const contexts of after.values()) {
      for (const [reference, ends] of Object.entries(contexts)) {
        if (!holdsCareContext({ [reference]: ends }, clock)) delete contexts[reference];
      }
    }
    const related = (ods: string) =>
      hasRelationship(
        ods,
        { registeredPractice: known.registeredPractice, careContexts: known.careContexts.get(ods) ?? {} },
        clock,
      );
    if (known.patientRegistered && !related(caller) && !holdsCareContext(after.get(caller), clock)) {
      const plan = group[0] as PlannedWrite;
      throw await refusedChange(
        ctx,
        nhs,
        plan.interaction,
        `${NO_RELATIONSHIP}: record a care context for the patient first`,
      );
    }
    const practiceAfter = registeredPractice(group) ?? known.registeredPractice;
    const started: { organisation: string; careContext: string }[] = [];
    for (const [ods, contexts] of after) {
      const before = known.careContexts.get(ods) ?? {};
      if (!sameContexts(before, contexts))
        changes.updates.push(relationshipUpdate(nhs, ods, before, contexts));
      if (!related(ods) && ods !== practiceAfter && holdsCareContext(contexts, clock)) {
        const claim = (claims.get(nhs) ?? []).find((c) => c.after.organisations.includes(ods));
        started.push({ organisation: ods, careContext: claim?.after.reference ?? '' });
      }
    }
    if (started.length) changes.started.set(nhs, started);
  }
  return changes;
}

/** The `Access.RelationshipStarted` events of one patient's claims (CONTRACT §5). */
export function relationshipStartedEvents(
  nhs: string,
  started: { organisation: string; careContext: string }[],
  ctx: RequestContext,
): OutboxEvent[] {
  return started.map(({ organisation, careContext }) => ({
    detailType: 'Access.RelationshipStarted',
    detail: {
      patient: `Patient/${nhs}`,
      organisation,
      focus: careContext,
      recordedBy: ctx.caller.odsCode,
      client: ctx.caller.clientId,
    },
  }));
}

function claimsOf(plan: PlannedWrite): { before?: CareContextClaim; after: CareContextClaim }[] {
  const { next, previous } = plan.write;
  const after = careContextOf(next.resource, next.contributor, next.lastUpdated, next.deleted);
  if (!after) return [];
  const before =
    previous &&
    careContextOf(previous.resource, previous.contributor, previous.lastUpdated, previous.deleted);
  return [{ ...(before ? { before } : {}), after }];
}

function registeredPractice(group: PlannedWrite[]): string | undefined {
  const patient = group.find((p) => identifiedByNhsNumber(p.write.next.resource.resourceType))?.write.next;
  return patient && !patient.deleted ? registeredPracticeOf(patient.resource as Patient) : undefined;
}

function sameContexts(a: CareContexts, b: CareContexts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

/** One UpdateItem of an organisation's relationship item: each care context its own attribute, set or removed. */
function relationshipUpdate(nhs: string, ods: string, before: CareContexts, after: CareContexts) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  const references = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const [i, reference] of references.entries()) {
    if (before[reference] === after[reference]) continue;
    names[`#c${i}`] = reference;
    if (after[reference] === undefined) remove.push(`#c${i}`);
    else {
      values[`:c${i}`] = after[reference];
      set.push(`#c${i} = :c${i}`);
    }
  }
  return {
    Key: { PK: patientPartition(nhs), SK: relationshipKey(ods) },
    UpdateExpression: [
      set.length ? `SET ${set.join(', ')}` : '',
      remove.length ? `REMOVE ${remove.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ExpressionAttributeNames: names,
    ...(set.length ? { ExpressionAttributeValues: values } : {}),
  };
}
