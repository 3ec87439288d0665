import type { Resource } from '@medplum/fhirtypes';
import type { Caller } from './access-token.ts';
import type { RecordAccessFacts } from './record-access-facts.ts';
import { hasScope, type Permission } from './scopes.ts';

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
/** Labels that keep a resource to its contributor: restricted and very restricted. */
const RESTRICTED = ['R', 'V'];

/** The outcome of asking whether a caller may see a patient's record. */
export type RecordAccessDecision =
  | { allowed: true; basis: 'registered-practice' | 'contributor' | 'break-glass' | 'auditor' }
  | { allowed: false; status: 403; reason: string };

/**
 * Whether the caller may read from a patient's record at all (CONTRACT §4): the organisation is the registered
 * GP practice or has contributed to the record, or it is an emergency (break-glass), which is always allowed
 * and audited. Scopes are checked first: a client gets no further than its scopes say.
 */
export function decideRecordAccess(
  caller: Caller,
  purpose: 'TREAT' | 'ETREAT',
  facts: RecordAccessFacts,
  resourceType: string,
  permission: Permission,
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
  if (facts.callerContributed) return { allowed: true, basis: 'contributor' };
  return {
    allowed: false,
    status: 403,
    reason:
      'The organisation has no legitimate relationship with this patient. A relationship starts when it records a ' +
      'care context: an Encounter or EpisodeOfCare for the patient, or a referral to it (an active ServiceRequest ' +
      'whose performer names it); the registered practice always has one. In an emergency, read with ' +
      'NHSD-Purpose-Of-Use: ETREAT and NHSD-Break-Glass-Reason (break-glass, audited and announced).',
  };
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
  const own = contributor === caller.odsCode;
  if (!own && isRestricted(resource)) return false;
  if (!facts.sharingObjection || decision.basis === 'break-glass' || own) return true;
  return ['Patient', 'Consent', 'Organization'].includes(resource.resourceType);
}

/** True when a resource carries a restricted (`R`) or very restricted (`V`) confidentiality label. */
export function isRestricted(resource: Resource): boolean {
  return (resource.meta?.security ?? []).some(
    (c) => c.system === CONFIDENTIALITY_SYSTEM && RESTRICTED.includes(c.code ?? ''),
  );
}

/**
 * Whether the caller may change an existing resource: only the organisation that contributed it, within its
 * scopes (CONTRACT §4).
 */
export function mayChange(
  caller: Caller,
  resourceType: string,
  permission: 'u' | 'd',
  contributor: string,
): string | undefined {
  if (!hasScope(caller.scopes, resourceType, permission))
    return `The client's scopes do not allow ${permission} on ${resourceType}`;
  if (contributor !== caller.odsCode)
    return `Only the contributing organisation (${contributor}) may change this resource`;
  return undefined;
}
