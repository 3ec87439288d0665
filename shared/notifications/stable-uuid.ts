import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 version 8, name-based on SHA-256) that is always the same for the same parts: what makes a
 * notice or notification for one event the same one however often the event is redelivered.
 * @example stableUuid('event-1', 'A81001') === stableUuid('event-1', 'A81001') // true
 */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
