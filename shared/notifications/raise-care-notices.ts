import { logger } from '../observability/powertools.ts';
import { careNoticeKind, careNoticeTask } from './care-notice.ts';
import { careNoticeRecipients } from './care-notice-recipients.ts';
import { writeCareNotice } from './care-notice-writer.ts';
import type { RecordEvent } from './record-event.ts';
import { readRecordRelationships } from './record-relationships.ts';
import { socialCareOdsCodes } from './social-care.ts';

/**
 * Gives each organisation an event concerns its notice Task, each written on its own so one failure does not
 * undo the others; a redelivered event finds its Tasks there already.
 * @returns the ODS codes given a new Task
 * @throws AggregateError when any could not be written, so the event is retried
 */
export async function raiseCareNotices(event: RecordEvent): Promise<string[]> {
  const kind = careNoticeKind(event.detailType);
  if (!kind) return [];
  const relationships = await readRecordRelationships(event.nhsNumber, event.focus);
  const recipients = careNoticeRecipients(kind, relationships, event, socialCareOdsCodes());
  const results = await Promise.allSettled(
    recipients.map(async (ods) => ({
      ods,
      outcome: await writeCareNotice(careNoticeTask(kind, event, ods), ods),
    })),
  );
  const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failed.length)
    throw new AggregateError(failed, `${failed.length} of ${recipients.length} notices failed`);
  const created = results.flatMap((r) =>
    r.status === 'fulfilled' && r.value.outcome === 'created' ? [r.value.ods] : [],
  );
  logger.info('Care notices raised', {
    kind,
    eventId: event.eventId,
    recipients: recipients.length,
    created: created.length,
  });
  return created;
}
