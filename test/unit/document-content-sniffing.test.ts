import { describe, expect, it } from 'vitest';
import { sniffDocumentKind } from '#shared/documents/content-sniffing';
import { clinicalDocument, linuxExecutable, minimalPdf, windowsExecutable } from '../support/documents.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffDocumentKind', () => {
  it('knows a PDF by %PDF-', () => {
    expect(sniffDocumentKind(minimalPdf(), true)).toBe('pdf');
  });

  it('knows PNG and JPEG by their signatures', () => {
    expect(
      sniffDocumentKind(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), false),
    ).toBe('png');
    expect(sniffDocumentKind(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), false)).toBe('jpeg');
  });

  it('takes UTF-8 text with tabs and line breaks as plain text', () => {
    expect(sniffDocumentKind(text('Seen in clinic.\r\n\tBP 120/80 — no change.\n'), true)).toBe('text');
  });

  it('takes a CDA ClinicalDocument, past its declaration, stylesheet and comments, as CDA', () => {
    expect(sniffDocumentKind(text(clinicalDocument), true)).toBe('cda');
  });

  it('takes a prefixed ClinicalDocument in the v3 namespace as CDA', () => {
    const prefixed = '<v3:ClinicalDocument xmlns:v3="urn:hl7-org:v3"><v3:title/></v3:ClinicalDocument>';
    expect(sniffDocumentKind(text(prefixed), true)).toBe('cda');
  });

  it('takes XML that is not a CDA document (other root, other namespace) as plain text, not CDA', () => {
    expect(sniffDocumentKind(text('<?xml version="1.0"?><html xmlns="urn:hl7-org:v3"/>'), true)).toBe('text');
    expect(sniffDocumentKind(text('<ClinicalDocument xmlns="urn:example"/>'), true)).toBe('text');
  });

  it('refuses Windows and Linux executables', () => {
    expect(sniffDocumentKind(windowsExecutable(), false)).toBeUndefined();
    expect(sniffDocumentKind(linuxExecutable(), false)).toBeUndefined();
  });

  it('refuses text with control characters, and bytes that are not UTF-8', () => {
    expect(sniffDocumentKind(text('ok\u0000not text'), true)).toBeUndefined();
    expect(sniffDocumentKind(Uint8Array.from([0x68, 0x69, 0xc3, 0x28]), true)).toBeUndefined();
  });

  it('allows a character cut off at the end of a sample, but not at the end of a whole document', () => {
    const cut = text('café').subarray(0, 4);
    expect(sniffDocumentKind(cut, false)).toBe('text');
    expect(sniffDocumentKind(cut, true)).toBeUndefined();
  });

  it('refuses nothing at all', () => {
    expect(sniffDocumentKind(new Uint8Array(), true)).toBeUndefined();
  });
});
