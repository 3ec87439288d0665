import type { Caller } from '../access/access-token.ts';
import type { PurposeOfUse } from '../audit/audit-event.ts';

/** The person at the point of care, as their supplier system named them at launch. */
export interface PointOfCarePerson {
  /** SDS user id (`NHSD-End-User-Id`). */
  id: string;
  /** National RBAC role code (`NHSD-End-User-Role`), when given. */
  role?: string;
  /** Display name, for the page and nothing else. */
  name: string;
}

/**
 * What a launch grants and a viewer session carries: one person, acting for one organisation through one
 * supplier system, looking at one patient, for one purpose. Nothing in the viewer widens it.
 */
export interface ViewerGrant {
  caller: Caller;
  person: PointOfCarePerson;
  /** NHS number of the only patient the viewer may show. */
  patient: string;
  purpose: PurposeOfUse;
}
