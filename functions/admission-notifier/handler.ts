import { careNoticeHandler } from '#shared/notifications/care-notice-handler';

/**
 * The admission notifier, behind the AdmissionNotices rule: a Task for the registered practice and the
 * related social care organisations on each admission and discharge.
 */
export const handler = careNoticeHandler();
