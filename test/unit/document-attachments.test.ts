import type { DocumentReference } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { attachmentSources, binaryIdOf } from '#shared/documents/document-attachments';
import { MAX_INLINE_DOCUMENT_BYTES } from '#shared/documents/document-limits';
import { replacedDocuments } from '#shared/documents/document-supersession';
import { OperationOutcomeError } from '#shared/fhir/operation-outcome';
import { refusal } from '../support/refusal.ts';

const BASE = 'https://scr.example.nhs.uk/FHIR/R4';
const document = (
  attachment: Record<string, unknown>,
  extra: Partial<DocumentReference> = {},
): DocumentReference => ({
  resourceType: 'DocumentReference',
  id: 'new',
  status: 'current',
  content: [{ attachment }],
  ...extra,
});
const pointerFields: Partial<DocumentReference> = {
  type: { coding: [{ system: 'http://snomed.info/sct', code: '373942005', display: 'Discharge summary' }] },
  category: [{ coding: [{ system: 'http://snomed.info/sct', code: '734163000', display: 'Care plan' }] }],
};

describe('attachmentSources', () => {
  it('takes base64 data as an inline document, decoded', () => {
    const [source] = attachmentSources(document({ data: Buffer.from('hello').toString('base64') }), BASE);
    expect(source).toMatchObject({ kind: 'inline', index: 0 });
    expect(source?.kind === 'inline' && source.bytes.toString()).toBe('hello');
  });

  it('takes Binary/{id} and {fhirBase}/Binary/{id} as a Binary of this server', () => {
    for (const url of ['Binary/abc-1', `${BASE}/Binary/abc-1`]) {
      expect(attachmentSources(document({ url }), BASE)).toEqual([
        expect.objectContaining({ kind: 'binary', binaryId: 'abc-1' }),
      ]);
    }
  });

  it('takes an https url with type and category as a pointer', () => {
    const source = attachmentSources(
      document({ url: 'https://ehr.rx1.nhs.uk/docs/123' }, pointerFields),
      BASE,
    );
    expect(source).toEqual([expect.objectContaining({ kind: 'pointer' })]);
  });

  it('refuses a pointer without type or category (422)', () => {
    const e = refusal(OperationOutcomeError, () =>
      attachmentSources(document({ url: 'https://ehr.rx1.nhs.uk/docs/123' }), BASE),
    );
    expect(e.status).toBe(422);
    expect(e.issues.map((i) => i.expression?.[0])).toEqual([
      'DocumentReference.type',
      'DocumentReference.category',
    ]);
  });

  it('refuses a url that is not https, and an attachment with no document (422)', () => {
    expect(
      refusal(OperationOutcomeError, () =>
        attachmentSources(document({ url: 'http://ehr.rx1.nhs.uk/1' }, pointerFields), BASE),
      ).status,
    ).toBe(422);
    expect(
      refusal(OperationOutcomeError, () =>
        attachmentSources(document({ contentType: 'application/pdf' }), BASE),
      ).status,
    ).toBe(422);
  });

  it('refuses data and url together, and data that is not base64 (400)', () => {
    expect(
      refusal(OperationOutcomeError, () =>
        attachmentSources(document({ data: 'aGk=', url: 'Binary/x' }), BASE),
      ).status,
    ).toBe(400);
    expect(
      refusal(OperationOutcomeError, () => attachmentSources(document({ data: 'not base64!' }), BASE)).status,
    ).toBe(400);
  });

  it('refuses one Binary named by two attachments (422)', () => {
    const twice: DocumentReference = {
      ...document({ url: 'Binary/abc' }),
      content: [{ attachment: { url: 'Binary/abc' } }, { attachment: { url: `${BASE}/Binary/abc` } }],
    };
    expect(refusal(OperationOutcomeError, () => attachmentSources(twice, BASE)).status).toBe(422);
  });

  it('refuses inline data over the inline limit with 413, before decoding it', () => {
    const data = 'A'.repeat(Math.ceil((MAX_INLINE_DOCUMENT_BYTES + 1) / 3) * 4);
    expect(refusal(OperationOutcomeError, () => attachmentSources(document({ data }), BASE)).status).toBe(
      413,
    );
  });
});

describe('binaryIdOf', () => {
  it('names no Binary for another server or another type', () => {
    expect(binaryIdOf('https://elsewhere.example/FHIR/R4/Binary/abc', BASE)).toBeUndefined();
    expect(binaryIdOf(`${BASE}/DocumentReference/abc`, BASE)).toBeUndefined();
  });
});

describe('replacedDocuments', () => {
  it('lists the DocumentReferences a document replaces, ignoring other relations', () => {
    const doc = document(
      {},
      {
        relatesTo: [
          { code: 'replaces', target: { reference: 'DocumentReference/old' } },
          { code: 'appends', target: { reference: 'DocumentReference/other' } },
        ],
      },
    );
    expect(replacedDocuments(doc, 'new')).toEqual(['old']);
  });

  it('refuses replacing itself, or something that is not a DocumentReference (400)', () => {
    const self = document(
      {},
      { relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/new' } }] },
    );
    const other = document({}, { relatesTo: [{ code: 'replaces', target: { reference: 'Binary/x' } }] });
    expect(refusal(OperationOutcomeError, () => replacedDocuments(self, 'new')).status).toBe(400);
    expect(refusal(OperationOutcomeError, () => replacedDocuments(other, 'new')).status).toBe(400);
  });
});
