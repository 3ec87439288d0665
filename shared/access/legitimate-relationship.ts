import { type CareContexts, OPEN } from './care-context.ts';

/** Days an ended care context still counts, unless the deployment says otherwise (CONTRACT §4). */
export const DEFAULT_RELATIONSHIP_GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

/** When the relationship rule is judged, and the deployment's grace period. */
export interface RelationshipClock {
  now: Date;
  graceDays: number;
}

/** Now, with the deployment's `RELATIONSHIP_GRACE_DAYS` (from the ICB config) or the default. */
export function relationshipClock(): RelationshipClock {
  const configured = Number(process.env.RELATIONSHIP_GRACE_DAYS);
  const graceDays =
    process.env.RELATIONSHIP_GRACE_DAYS && Number.isInteger(configured) && configured >= 0
      ? configured
      : DEFAULT_RELATIONSHIP_GRACE_DAYS;
  return { now: new Date(), graceDays };
}

/**
 * Whether an organisation's care contexts give it a relationship with the patient now: one is open, or one
 * ended no longer ago than the grace period.
 * @example holdsCareContext({ 'Encounter/1': '2026-01-01T00:00:00.000Z' }, { now: new Date('2026-01-20'), graceDays: 30 }) // true
 */
export function holdsCareContext(contexts: CareContexts | undefined, clock: RelationshipClock): boolean {
  const since = new Date(clock.now.getTime() - clock.graceDays * DAY_MS).toISOString();
  return Object.values(contexts ?? {}).some((ends) => ends === OPEN || ends >= since);
}
