import { careNoticeHandler } from '#shared/notifications/care-notice-handler';

/**
 * The safeguarding notifier, behind the SafeguardingNotices rule: a Task for each organisation related to
 * the patient, other than the one that raised the concern.
 */
export const handler = careNoticeHandler();
