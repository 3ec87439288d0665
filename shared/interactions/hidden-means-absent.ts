import type { Resource } from '@medplum/fhirtypes';
import { decideRecordAccess, hiddenFrom, mayChange } from '../access/access-policy.ts';
import type { RecordAccessFacts } from '../access/record-access-facts.ts';
import { ForbiddenError, GoneError, NotFoundError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { readAccessFacts } from '../record/access-facts-store.ts';
import type { StoredResource } from '../record/record-store.ts';
import { auditedRefusal } from './audited-access.ts';

/**
 * The one answer for a resource that is not there for the caller, on every path (read, vread, history,
 * update, delete, a document's `replaces`): the same words whether it never existed, or exists and is hidden
 * from the caller, so nothing tells the two apart (CONTRACT §4).
 */
export function absent(type: string, id: string): NotFoundError {
  return new NotFoundError(`${type}/${id} is not known`);
}

/** Whether one stored version is hidden from the caller of this request. */
export function hiddenFromCaller(
  ctx: RequestContext,
  facts: RecordAccessFacts,
  stored: StoredResource,
): boolean {
  return hiddenFrom(ctx.caller, ctx.purpose.code, facts, stored.resource, stored.contributor);
}

/**
 * For a read by id: the 404 when the resource is hidden from the caller, whether or not it has been deleted
 * (a deleted hidden resource is 404, never 410). One that is missing is left to the read, after the
 * relationship: an unregistered patient is 403 to a caller without one, as a registered one is.
 */
export function absentWhenHidden(ctx: RequestContext, type: string, id: string) {
  return (facts: RecordAccessFacts, [stored]: StoredResource[]): NotFoundError | undefined =>
    stored && hiddenFromCaller(ctx, facts, stored) ? absent(type, id) : undefined;
}

/**
 * Whether another organisation's resource is hidden from a caller about to change or replace it. Its own
 * never is; for another's, the access facts are read, so the extra round trip is only on a path that refuses.
 */
async function hiddenFromWriter(ctx: RequestContext, stored: StoredResource, patient: string) {
  if (stored.contributor === ctx.caller.odsCode) return { hidden: false };
  const { facts } = await readAccessFacts(patient, ctx.caller.odsCode);
  // A write never breaks the glass: break-glass allows reading only.
  return { hidden: hiddenFrom(ctx.caller, 'TREAT', facts, stored.resource, stored.contributor), facts };
}

/**
 * Checks, before an update or delete of an existing resource, that the caller may make it, answering as a
 * read would where it may not: 403 without a relationship, 404 when the resource is hidden from the caller,
 * 410 when it was deleted (nothing brings a deleted id back), and 403 naming no one when it is another
 * organisation's. Every refusal is audited.
 */
export async function assertChangeable(
  ctx: RequestContext,
  stored: StoredResource,
  patient: string,
  interaction: 'update' | 'delete',
  /** When the change withdraws another organisation's objection, the registered practice that may do so. */
  withdrawal?: Parameters<typeof mayChange>[4],
): Promise<void> {
  const { resourceType: type, id } = stored.resource as Resource & { id: string };
  const refuse = (error: ForbiddenError | NotFoundError | GoneError) =>
    auditedRefusal(ctx, patient, interaction, error);
  const { hidden, facts } = await hiddenFromWriter(ctx, stored, patient);
  if (facts) {
    const decision = decideRecordAccess(ctx.caller, 'TREAT', facts, type, 'r');
    if (!decision.allowed) throw await refuse(new ForbiddenError(decision.reason));
  }
  if (hidden) throw await refuse(absent(type, id));
  if (stored.deleted && interaction === 'update') {
    throw await refuse(new GoneError(`${type}/${id} has been deleted: a deleted id is never used again`));
  }
  const refusal = mayChange(
    ctx.caller,
    type,
    interaction === 'update' ? 'u' : 'd',
    stored.contributor,
    withdrawal,
  );
  if (refusal) throw await refuse(new ForbiddenError(refusal));
}

/**
 * Whether a resource another one names (a document's `replaces`) is there for the caller: not when it is
 * missing, deleted or hidden from the caller, all of which answer alike.
 */
export async function presentForWriter(
  ctx: RequestContext,
  stored: StoredResource | undefined,
  patient: string,
): Promise<boolean> {
  if (!stored || stored.deleted) return false;
  return !(await hiddenFromWriter(ctx, stored, patient)).hidden;
}
