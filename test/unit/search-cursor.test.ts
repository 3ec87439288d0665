import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#shared/fhir/operation-outcome';
import { type CursorBinding, cursorBinding, decodeCursor, encodeCursor } from '#shared/search/search-cursor';
import { parseSearchRequest } from '#shared/search/search-request';
import { refusal } from '../support/refusal.ts';

const secret = 'a-test-secret-of-reasonable-length';
const position = { key: [Date.parse('2024-03-05T10:00:00Z'), null], id: 'obs-17' };
const request = parseSearchRequest(
  'Observation',
  { patient: ['9000000009'], code: ['http://loinc.org|29463-7'] },
  {},
);
const binding = cursorBinding(request, 'client-gp-1');
const now = Date.parse('2024-06-01T12:00:00Z');

/** The cursor with one character changed to another base64url character. */
function flipped(cursor: string, at: number): string {
  const c = cursor[at] as string;
  return cursor.slice(0, at) + (c === 'A' ? 'B' : 'A') + cursor.slice(at + 1);
}

describe('encodeCursor and decodeCursor', () => {
  it('round-trips the position', () => {
    // prepare
    const cursor = encodeCursor(position, binding, secret, { now });

    // act
    const decoded = decodeCursor(cursor, binding, secret, { now });

    // assess
    expect(decoded).toEqual(position);
  });

  it('is URL-safe and carries nothing readable: not the position, the patient or the client', () => {
    // act
    const cursor = encodeCursor(position, binding, secret, { now });

    // assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
    for (const secretPart of ['obs-17', '9000000009', 'client-gp-1', '"i"']) {
      expect(cursor).not.toContain(secretPart);
      expect(bytes).not.toContain(secretPart);
    }
  });

  it('is different each time for the same position, so two cursors cannot be compared', () => {
    expect(encodeCursor(position, binding, secret, { now })).not.toBe(
      encodeCursor(position, binding, secret, { now }),
    );
  });

  it('refuses a cursor with any one character changed', () => {
    // prepare
    const cursor = encodeCursor(position, binding, secret, { now });

    // act
    const outcomes = [...cursor].map((_, i) => {
      try {
        decodeCursor(flipped(cursor, i), binding, secret, { now });
        return 'accepted';
      } catch (error) {
        return error instanceof BadRequestError ? error.status : 'other';
      }
    });

    // assess
    expect(new Set(outcomes)).toEqual(new Set([400]));
  });

  it('says the cursor is invalid or expired, with a 400', () => {
    // prepare
    const cursor = flipped(encodeCursor(position, binding, secret, { now }), 3);

    // act
    const error = refusal(BadRequestError, () => decodeCursor(cursor, binding, secret, { now }));

    // assess
    expect(error.status).toBe(400);
    expect(error.outcome.issue[0]).toMatchObject({
      code: 'invalid',
      diagnostics: 'invalid or expired paging cursor',
    });
  });

  const others: [string, CursorBinding][] = [
    ['another patient', { ...binding, patient: '9000000017' }],
    ['another client', { ...binding, clientId: 'client-acute-1' }],
    [
      'another query',
      cursorBinding(
        parseSearchRequest('Observation', { patient: ['9000000009'], code: ['1234-5'] }, {}),
        'client-gp-1',
      ),
    ],
    [
      'another sort',
      cursorBinding(
        parseSearchRequest(
          'Observation',
          { patient: ['9000000009'], code: ['http://loinc.org|29463-7'], _sort: ['date'] },
          {},
        ),
        'client-gp-1',
      ),
    ],
    ['another type', { ...binding, resourceType: 'Condition' }],
  ];

  it.each(others)('refuses the cursor replayed for %s', (_, other) => {
    // prepare
    const cursor = encodeCursor(position, binding, secret, { now });

    // act
    const error = refusal(BadRequestError, () => decodeCursor(cursor, other, secret, { now }));

    // assess
    expect(error.message).toBe('invalid or expired paging cursor');
  });

  it('accepts the cursor for the same search written differently', () => {
    // prepare
    const cursor = encodeCursor(position, binding, secret, { now });
    const same = parseSearchRequest(
      'Observation',
      { code: ['http://loinc.org|29463-7'], subject: ['Patient/9000000009'], _count: ['50'] },
      {},
    );

    // act
    const decoded = decodeCursor(cursor, cursorBinding(same, 'client-gp-1'), secret, { now });

    // assess
    expect(decoded).toEqual(position);
  });

  it('refuses a cursor made with another secret', () => {
    // prepare
    const cursor = encodeCursor(position, binding, 'another-secret', { now });

    // act
    const error = refusal(BadRequestError, () => decodeCursor(cursor, binding, secret, { now }));

    // assess
    expect(error.status).toBe(400);
  });

  it.each([
    ['just before expiry', 3599, true],
    ['at expiry', 3600, false],
    ['a day later', 86_400, false],
  ])('after an hour by default: %s (%i s) accepted=%s', (_, seconds, accepted) => {
    // prepare
    const cursor = encodeCursor(position, binding, secret, { now });

    // act
    const decode = () => decodeCursor(cursor, binding, secret, { now: now + seconds * 1000 });

    // assess
    if (accepted) expect(decode()).toEqual(position);
    else expect(refusal(BadRequestError, decode).status).toBe(400);
  });

  it('honours a shorter lifetime', () => {
    // prepare
    const cursor = encodeCursor(position, binding, secret, { now, ttlSeconds: 60 });

    // act
    const error = refusal(BadRequestError, () =>
      decodeCursor(cursor, binding, secret, { now: now + 61_000 }),
    );

    // assess
    expect(error.status).toBe(400);
  });

  it.each(['', 'abc', 'abc.def', '..', 'not a cursor at all', `${'A'.repeat(10)}.${'A'.repeat(43)}`])(
    'refuses the malformed cursor %j',
    (cursor) => {
      // act
      const error = refusal(BadRequestError, () => decodeCursor(cursor, binding, secret, { now }));

      // assess
      expect(error.status).toBe(400);
    },
  );
});
