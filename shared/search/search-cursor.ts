import { createHmac, timingSafeEqual } from 'node:crypto';
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
const CURSOR_PATTERN = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/;

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

function signature(payload: string, binding: CursorBinding, secret: string): Buffer {
  if (!secret) throw new Error('A paging cursor needs a secret');
  const bound = JSON.stringify([
    binding.resourceType,
    binding.patient ?? null,
    binding.query,
    binding.clientId,
  ]);
  return createHmac('sha256', secret).update(`search-cursor.v1\n${payload}\n${bound}`).digest();
}

/**
 * An opaque, tamper-proof cursor for the page after `position`: a base64url JSON payload (the keyset position
 * and an expiry) and an HMAC-SHA-256 over it and the binding, which is never itself in the cursor.
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
  const payload = Buffer.from(JSON.stringify({ k: position.key, i: position.id, x: expires })).toString(
    'base64url',
  );
  return `${payload}.${signature(payload, binding, secret).toString('base64url')}`;
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
  const m = CURSOR_PATTERN.exec(cursor);
  if (!m) throw invalidCursor();
  const [, payload = '', mac = ''] = m;
  const given = Buffer.from(mac, 'base64url');
  const expected = signature(payload, binding, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!isPosition(decoded)) throw invalidCursor();
  if (decoded.x * 1000 <= (options.now ?? Date.now())) throw invalidCursor();
  return { key: decoded.k, id: decoded.i };
}
