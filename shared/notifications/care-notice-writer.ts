import type { Task } from '@medplum/fhirtypes';
import type { Caller } from '../access/access-token.ts';
import { PreconditionFailedError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { planCreate } from '../interactions/write.ts';
import { commitPlans } from '../interactions/write-plan.ts';
import { FHIR_BASE_PATH } from '../service/routes.ts';

/** The client id the service writes its own notices under: the audit trail shows the system made them. */
export const SYSTEM_CLIENT_ID = 'shared-care-record';

/**
 * The service acting for the notice's owner: the Task is contributed in the owner's name, since only the
 * contributor may update a resource and acknowledging is the owner updating the Task's status.
 */
function systemContext(ownerOdsCode: string): RequestContext {
  const caller: Caller = {
    clientId: SYSTEM_CLIENT_ID,
    odsCode: ownerOdsCode,
    // Nominal: no access rule reads the role, and the audit names the client and organisation.
    role: 'community',
    scopes: ['system/Task.c'],
  };
  return {
    caller,
    purpose: { code: 'TREAT' },
    fhirBase: `${process.env.PUBLIC_BASE_URL ?? ''}${FHIR_BASE_PATH}`,
  };
}

/**
 * Writes a notice Task through the record's own write path (validation, registered patient, contributor tag,
 * and one transaction with its journal entry, so it is audited), created only if its id is new.
 * @returns `exists` when an earlier delivery of the same event already created it
 */
export async function writeCareNotice(task: Task, ownerOdsCode: string): Promise<'created' | 'exists'> {
  const ctx = systemContext(ownerOdsCode);
  const { id, ...body } = task;
  const plan = await planCreate('Task', body as Record<string, unknown>, ctx, id);
  try {
    await commitPlans([plan], ctx);
    return 'created';
  } catch (e) {
    if (e instanceof PreconditionFailedError) return 'exists';
    throw e;
  }
}
