import { describe, expect, it } from 'vitest';
import { errorSummary } from '#shared/observability/error-summary';

describe('errorSummary', () => {
  it('keeps the error name and stack frames but never the message, which may quote patient data', () => {
    const e = new TypeError('Cannot read key PATIENT#9000000009 of Jane Example born 1968-04-12');
    const summary = errorSummary(e);
    expect(summary.name).toBe('TypeError');
    expect(summary.frames.length).toBeGreaterThan(0);
    expect(JSON.stringify(summary)).not.toMatch(/9000000009|Jane|1968-04-12/);
  });

  it('says only the kind of a thrown non-error', () => {
    expect(errorSummary('9000000009')).toEqual({ name: 'string', frames: [] });
  });
});
