import type { Resource } from '@medplum/fhirtypes';
import { resourceType } from '../service/resource-types.ts';
import type { Caller } from './access-token.ts';
import { holdsCareContext, type RelationshipClock, relationshipClock } from './legitimate-relationship.ts';
import type { RecordAccessFacts } from './record-access-facts.ts';
import { hasScope, type Permission } from './scopes.ts';

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
/** Labels that keep a resource to its contributor: restricted and very restricted. */
const RESTRICTED = ['R', 'V'];

/** The outcome of asking whether a caller may see a patient's record. */
export type RecordAccessDecision =
  | { allowed: true; basis: 'registered-practice' | 'care-context' | 'break-glass' | 'auditor' }
  | { allowed: false; status: 403; reason: string };

/**
 * Whether the caller may read from a patient's record at all (CONTRACT §4): the organisation is the registered
 * GP practice or holds a care context (open, or ended within the grace period), or it is an emergency
 * (break-glass), which is always allowed and audited. Contributing alone never makes a relationship. Scopes
 * are checked first: a client gets no further than its scopes say.
 */
export function decideRecordAccess(
  caller: Caller,
  purpose: 'TREAT' | 'ETREAT',
  facts: RecordAccessFacts,
  resourceType: string,
  permission: Permission,
  clock: RelationshipClock = relationshipClock(),
): RecordAccessDecision {
  if (!hasScope(caller.scopes, resourceType, permission)) {
    return {
      allowed: false,
      status: 403,
      reason: `The client's scopes do not allow ${permission} on ${resourceType}`,
    };
  }
  // Break-glass is asked for, not inferred: an organisation with a relationship that asks for it also gets
  // past the patient's objection, and is audited and announced like anyone else.
  if (purpose === 'ETREAT') return { allowed: true, basis: 'break-glass' };
  if (facts.registeredPractice === caller.odsCode) return { allowed: true, basis: 'registered-practice' };
  if (holdsCareContext(facts.careContexts, clock)) return { allowed: true, basis: 'care-context' };
  return { allowed: false, status: 403, reason: NO_RELATIONSHIP };
}

export const NO_RELATIONSHIP =
  'The organisation has no legitimate relationship with this patient. A relationship starts when it records a ' +
  'care context: an Encounter or EpisodeOfCare for the patient, or a referral to it (an active ServiceRequest ' +
  'whose performer names it); the registered practice always has one, and an ended care context counts for the ' +
  "deployment's grace period. In an emergency, read with NHSD-Purpose-Of-Use: ETREAT and NHSD-Break-Glass-Reason " +
  '(break-glass, audited and announced).';

/** Whether the organisation has a legitimate relationship with the patient (CONTRACT §4), whatever the purpose. */
export function hasRelationship(
  odsCode: string,
  facts: Pick<RecordAccessFacts, 'registeredPractice' | 'careContexts'>,
  clock: RelationshipClock,
): boolean {
  return facts.registeredPractice === odsCode || holdsCareContext(facts.careContexts, clock);
}

/**
 * Whether the caller may read a patient's audit trail (CONTRACT §4): the ICB's auditor, and the patient's
 * registered GP practice, each within its scopes; no one else, whatever the purpose.
 */
export function decideAuditAccess(caller: Caller, facts: RecordAccessFacts): RecordAccessDecision {
  if (!hasScope(caller.scopes, 'AuditEvent', 's')) {
    return { allowed: false, status: 403, reason: "The client's scopes do not allow searching AuditEvent" };
  }
  if (caller.role === 'auditor') return { allowed: true, basis: 'auditor' };
  if (facts.registeredPractice === caller.odsCode) return { allowed: true, basis: 'registered-practice' };
  return {
    allowed: false,
    status: 403,
    reason: "A patient's audit trail is open to the ICB's auditors and the registered GP practice only",
  };
}

/**
 * Whether one resource of a record the caller may read is shown to it. A restricted or very restricted label
 * keeps it to its contributor, whatever the purpose. An objection to sharing keeps each organisation to the
 * clinical resources it contributed, though the Patient, Consents and Organizations stay visible; break-glass
 * overrides the objection.
 */
export function resourceVisible(
  caller: Caller,
  decision: Extract<RecordAccessDecision, { allowed: true }>,
  facts: RecordAccessFacts,
  resource: Resource,
  contributor: string,
): boolean {
  return !hiddenFrom(
    caller,
    decision.basis === 'break-glass' ? 'ETREAT' : 'TREAT',
    facts,
    resource,
    contributor,
  );
}

/**
 * Whether a resource is hidden from the caller (CONTRACT §4): another organisation's restricted or very
 * restricted resource, whatever the purpose; or, under the patient's objection, another organisation's
 * clinical resource, unless break-glass. What is hidden does not exist for the caller on any path.
 */
export function hiddenFrom(
  caller: Caller,
  purpose: 'TREAT' | 'ETREAT',
  facts: RecordAccessFacts,
  resource: Resource,
  contributor: string,
): boolean {
  if (contributor === caller.odsCode) return false;
  if (isRestricted(resource)) return true;
  if (!facts.sharingObjection || purpose === 'ETREAT') return false;
  return resourceType(resource.resourceType)?.visibleUnderObjection !== true;
}

/** True when a resource carries a restricted (`R`) or very restricted (`V`) confidentiality label. */
export function isRestricted(resource: Resource): boolean {
  return (resource.meta?.security ?? []).some(
    (c) => c.system === CONFIDENTIALITY_SYSTEM && RESTRICTED.includes(c.code ?? ''),
  );
}

/**
 * Whether the caller may change an existing resource: only the organisation that contributed it, within its
 * scopes (CONTRACT §4); and the registered GP practice may withdraw the patient's objection to sharing that
 * another organisation recorded (`withdrawsObjection`: the change leaves it no longer an objection).
 */
export function mayChange(
  caller: Caller,
  resourceType: string,
  permission: 'u' | 'd',
  contributor: string,
  withdrawal?: { registeredPractice?: string; withdrawsObjection: boolean },
): string | undefined {
  if (!hasScope(caller.scopes, resourceType, permission))
    return `The client's scopes do not allow ${permission} on ${resourceType}`;
  if (withdrawal?.withdrawsObjection && withdrawal.registeredPractice === caller.odsCode) return undefined;
  // The contributor is not named: the message must read the same whoever contributed it.
  if (contributor !== caller.odsCode) return 'Only the contributing organisation may change this resource';
  return undefined;
}
