import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { canonicalSearchQuery } from './search-query.ts';
import type { SearchRequest } from './search-request.ts';
import type { SortPosition } from './search-sort.ts';

/** The search a cursor belongs to: a cursor answers only the same search, by the same client, of the same record. */
export interface CursorBinding {
  resourceType: string;
  patient: string | undefined;
  /** The canonical filters and sort (`canonicalSearchQuery`). */
  query: string;
  clientId: string;
}

export interface CursorOptions {
  /** Milliseconds since the epoch; the clock, for tests. */
  now?: number;
  /** How long a cursor stays valid; an hour by default. */
  ttlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 3600;
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{40,2800}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One message for every failure, so a caller learns nothing about which check failed. */
function invalidCursor(): BadRequestError {
  return new BadRequestError('invalid or expired paging cursor', 'invalid');
}

/**
 * The binding of a parsed search for a client.
 * @example cursorBinding(request, 'supplier-client-1')
 */
export function cursorBinding(request: SearchRequest, clientId: string): CursorBinding {
  return {
    resourceType: request.resourceType,
    patient: request.patient,
    query: canonicalSearchQuery(request),
    clientId,
  };
}

function bound(binding: CursorBinding): Buffer {
  return Buffer.from(
    JSON.stringify([binding.resourceType, binding.patient ?? null, binding.query, binding.clientId]),
  );
}

const keys = new Map<string, Buffer>();

/** The AES-256 key for cursors, derived from the cursor secret with HKDF-SHA-256 (and kept per secret). */
function cursorKey(secret: string): Buffer {
  if (!secret) throw new Error('A paging cursor needs a secret');
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, '', 'search-cursor.v2', 32));
    keys.set(secret, key);
  }
  return key;
}

/**
 * An opaque, tamper-proof cursor for the page after `position`: the position and an expiry, encrypted with
 * AES-256-GCM under a key derived from the cursor secret, with the binding as additional authenticated data
 * (so it is never in the cursor, yet a cursor answers only its own search). A caller can read nothing from
 * it, not even the id of the last resource it was shown. Node's AES-GCM rather than jose's JWE: the search
 * runner that pages is synchronous and pure, and jose is asynchronous only.
 * @example encodeCursor({ key: [1709632800000], id: 'obs-1' }, cursorBinding(request, clientId), secret)
 */
export function encodeCursor(
  position: SortPosition,
  binding: CursorBinding,
  secret: string,
  options: CursorOptions = {},
): string {
  const now = options.now ?? Date.now();
  const expires = Math.floor(now / 1000) + (options.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(secret), iv).setAAD(bound(binding));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify({ k: position.key, i: position.id, x: expires })),
    cipher.final(),
  ]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

function isPosition(value: unknown): value is { k: (number | null)[]; i: string; x: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { k, i, x } = value as Record<string, unknown>;
  return (
    Array.isArray(k) &&
    k.every((n) => n === null || typeof n === 'number') &&
    typeof i === 'string' &&
    typeof x === 'number'
  );
}

/**
 * The position a cursor carries, if it was made by this server for this very search and has not expired;
 * otherwise a 400 `invalid or expired paging cursor`, never another search's page.
 * @example decodeCursor(request.cursor, cursorBinding(request, clientId), secret) // { key: [...], id: 'obs-1' }
 */
export function decodeCursor(
  cursor: string,
  binding: CursorBinding,
  secret: string,
  options: CursorOptions = {},
): SortPosition {
  if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor();
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the one spelling this server writes: no two cursors decode to the same bytes.
  if (bytes.toString('base64url') !== cursor || bytes.length <= IV_BYTES + TAG_BYTES) throw invalidCursor();
  let decoded: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cursorKey(secret), bytes.subarray(0, IV_BYTES))
      .setAAD(bound(binding))
      .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    decoded = JSON.parse(plain.toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!isPosition(decoded)) throw invalidCursor();
  if (decoded.x * 1000 <= (options.now ?? Date.now())) throw invalidCursor();
  return { key: decoded.k, id: decoded.i };
}
