import type { Task } from '@medplum/fhirtypes';
import type { RecordEntry } from './viewer-record.ts';

/** Task statuses that still ask the owner to do something. */
const OPEN = new Set(['requested', 'received', 'ready', 'accepted', 'in-progress', 'on-hold']);
/** What the viewer's acknowledge action sets: the owner has seen the notice and taken it on (CONTRACT §5). */
export const ACKNOWLEDGED_STATUS = 'accepted';

const ownedBy = (task: Task, odsCode: string) =>
  task.owner?.identifier?.value === odsCode || task.owner?.reference === `Organization/${odsCode}`;

/** The organisation's own open Tasks for this patient (safeguarding and admission notices), newest first. */
export function openTasksFor(odsCode: string, entries: RecordEntry[]): (RecordEntry & { resource: Task })[] {
  return entries
    .filter((e): e is RecordEntry & { resource: Task } => e.resource.resourceType === 'Task')
    .filter((e) => ownedBy(e.resource, odsCode) && OPEN.has(e.resource.status))
    .sort((a, b) =>
      (b.resource.authoredOn ?? b.lastUpdated).localeCompare(a.resource.authoredOn ?? a.lastUpdated),
    );
}

/** True once the owner has acknowledged the Task: the viewer shows it without the button. */
export const isAcknowledged = (task: Task) => task.status !== 'requested' && task.status !== 'received';
