import { describe, expect, it } from 'vitest';
import { breakGlassReason } from '#shared/viewer/break-glass-reasons';
import { ageInYears, displayDate, displayName, spacedNhsNumber } from '#shared/viewer/fhir-display';
import { html } from '#shared/viewer/html';
import { frameAncestors } from '#shared/viewer/viewer-headers';

describe('how the viewer writes what it shows', () => {
  it('writes an NHS number 3 3 4', () => {
    expect(spacedNhsNumber('9434765919')).toBe('943 476 5919');
  });

  it('counts age in whole years, the birthday itself included', () => {
    expect(ageInYears('1947-08-19', new Date('2026-08-18T12:00:00Z'))).toBe(78);
    expect(ageInYears('1947-08-19', new Date('2026-08-19T12:00:00Z'))).toBe(79);
  });

  it('writes dates as NHS services do, partial dates as far as they go', () => {
    expect(displayDate('1947-08-19')).toBe('19 Aug 1947');
    expect(displayDate('2014-03')).toBe('Mar 2014');
    expect(displayDate('2009')).toBe('2009');
  });

  it('puts the family name first, in capitals', () => {
    expect(displayName([{ use: 'official', family: 'Oakley', given: ['Margaret', 'Rose'] }])).toBe(
      'OAKLEY, Margaret Rose',
    );
  });

  it('escapes whatever a record holds before it reaches the page', () => {
    const title = '<script>alert(1)</script>';
    expect(html`<h3>${title}</h3>`.value).toBe('<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>');
    expect(html`<p title="${'" onmouseover="x'}"></p>`.value).toBe(
      '<p title="&quot; onmouseover=&quot;x"></p>',
    );
  });
});

describe('break-glass reasons', () => {
  it('records the reason picked and the explanation together', () => {
    const form = new URLSearchParams({ reason: 'emergency-care', explanation: 'Unconscious in A&E' });
    expect(breakGlassReason(form)).toBe(
      'Emergency care: the patient cannot consent and needs treatment now. Unconscious in A&E',
    );
  });

  it('needs both, and a reason from the list', () => {
    expect(() => breakGlassReason(new URLSearchParams({ reason: 'emergency-care' }))).toThrow(
      'Explain why you need emergency access',
    );
    expect(() => breakGlassReason(new URLSearchParams({ reason: 'curiosity', explanation: 'x' }))).toThrow(
      'Select why you need emergency access',
    );
  });
});

describe('frame-ancestors', () => {
  it('is none unless the ICB lists its EPR origins', () => {
    const before = process.env.VIEWER_FRAME_ANCESTORS;
    delete process.env.VIEWER_FRAME_ANCESTORS;
    expect(frameAncestors()).toBe("'none'");
    process.env.VIEWER_FRAME_ANCESTORS = 'https://a.example.nhs.uk https://b.example.nhs.uk';
    expect(frameAncestors()).toBe('https://a.example.nhs.uk https://b.example.nhs.uk');
    if (before === undefined) delete process.env.VIEWER_FRAME_ANCESTORS;
    else process.env.VIEWER_FRAME_ANCESTORS = before;
  });
});
