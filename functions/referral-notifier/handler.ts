import { careNoticeHandler } from '#shared/notifications/care-notice-handler';

/**
 * The referral notifier, behind the ReferralNotices rule: a Task for the organisation a referral is sent to
 * when the referral arrives (becomes active naming it as `performer`).
 */
export const handler = careNoticeHandler();
