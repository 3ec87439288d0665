import { describe, expect, it } from 'vitest';
import { openCursor, sealCursor } from '#shared/export/scan-cursor';

const KEY = Buffer.alloc(32, 3);
const LAST = { PK: 'PATIENT#9434765919', SK: 'Condition#abc' };

describe('the scan-segment cursor', () => {
  it('opens to the key it sealed, and shows no NHS number', () => {
    const cursor = sealCursor(KEY, 'e1#0/16', LAST);

    expect(cursor).not.toContain('9434765919');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('9434765919');
    expect(openCursor(KEY, 'e1#0/16', cursor)).toEqual(LAST);
  });

  it('does not open for another export or segment, or under another key', () => {
    const cursor = sealCursor(KEY, 'e1#0/16', LAST);

    expect(() => openCursor(KEY, 'e1#1/16', cursor)).toThrow();
    expect(() => openCursor(Buffer.alloc(32, 4), 'e1#0/16', cursor)).toThrow();
  });
});
