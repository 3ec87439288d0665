import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The scan-segment cursor: DynamoDB's `LastEvaluatedKey`, whose partition key is a patient's NHS number, sealed
 * with AES-256-GCM (a key derived from the pseudonym key by HKDF) so the workflow's state and execution history
 * never hold one. Bound to its export and segment: a cursor replayed elsewhere does not open.
 */
export function sealCursor(key: Uint8Array, binding: string, lastKey: Record<string, unknown>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(key), iv).setAAD(Buffer.from(binding));
  const body = Buffer.concat([cipher.update(JSON.stringify(lastKey)), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openCursor(key: Uint8Array, binding: string, cursor: string): Record<string, unknown> {
  const raw = Buffer.from(cursor, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', cursorKey(key), raw.subarray(0, 12))
    .setAAD(Buffer.from(binding))
    .setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
}

const cursorKey = (key: Uint8Array) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'shared-care-record export cursor', 32));
