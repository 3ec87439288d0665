import type { Task } from '@medplum/fhirtypes';
import { NotFoundError, PreconditionFailedError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { planUpdate } from '../interactions/write.ts';
import { commitPlans } from '../interactions/write-plan.ts';
import { readCurrent } from '../record/record-store.ts';
import { patientPartition } from '../service/table-design.ts';
import { ACKNOWLEDGED_STATUS } from './open-tasks.ts';

/**
 * Acknowledges one of the organisation's notice Tasks for the session's patient: the FHIR update the API would
 * make (only the owner, which contributed it, may; the version the person saw must still be current; audited
 * in the same transaction). A Task of another patient's record is not found.
 */
export async function acknowledgeTask(
  nhs: string,
  taskId: string,
  versionSeen: number,
  ctx: RequestContext,
): Promise<void> {
  const stored = await readCurrent('Task', taskId, patientPartition(nhs));
  if (!stored || stored.deleted || stored.resource.resourceType !== 'Task') {
    throw new NotFoundError('This task is not in this patient\u2019s record');
  }
  const task = stored.resource as Task;
  if (stored.versionId !== versionSeen) {
    throw new PreconditionFailedError('The task changed since the page was opened: open the record again');
  }
  const plan = await planUpdate(
    'Task',
    taskId,
    { ...task, status: ACKNOWLEDGED_STATUS } as never,
    versionSeen,
    ctx,
  );
  await commitPlans([plan], ctx);
}
