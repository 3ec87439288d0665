import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a signed notification carries. */
export const SIGNATURE_HEADER = 'X-Signature';

/**
 * The `X-Signature` value for a notification body: `sha256=` and the hex HMAC-SHA256 of the exact bytes sent,
 * keyed with the subscription's secret (CONTRACT §5).
 * @example notificationSignature('{"resourceType":"Bundle"}', 'a-long-shared-secret') // 'sha256=…'
 */
export function notificationSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** True when `signature` is the right one for `body`: what a receiver checks (compared in constant time). */
export function verifyNotificationSignature(body: string, secret: string, signature: string): boolean {
  const expected = Buffer.from(notificationSignature(body, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
