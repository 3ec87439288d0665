import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '#shared/documents/document-limits';
import { uploadRequest, uploadUrlParameters } from '#shared/documents/upload-request';
import { OperationOutcomeError } from '#shared/fhir/operation-outcome';

const HASH = 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=';
const parameters = (size: number, contentType = 'application/pdf', hash = HASH) => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'contentType', valueCode: contentType },
    { name: 'size', valueInteger: size },
    { name: 'hash', valueBase64Binary: hash },
  ],
});

function statusOf(run: () => unknown): number {
  try {
    run();
  } catch (e) {
    if (e instanceof OperationOutcomeError) return e.status;
    throw e;
  }
  return 200;
}

describe('uploadRequest', () => {
  it('reads contentType, size and hash', () => {
    expect(uploadRequest(parameters(1234))).toEqual({
      contentType: 'application/pdf',
      size: 1234,
      hash: HASH,
    });
  });

  it('refuses a size over 100 MB with 413', () => {
    expect(statusOf(() => uploadRequest(parameters(MAX_UPLOAD_BYTES + 1)))).toBe(413);
  });

  it('refuses a type outside the allow-list, a malformed hash, a missing part or another resource with 400', () => {
    expect(statusOf(() => uploadRequest(parameters(10, 'application/x-msdownload')))).toBe(400);
    expect(statusOf(() => uploadRequest(parameters(10, 'application/pdf', 'abc')))).toBe(400);
    expect(statusOf(() => uploadRequest({ resourceType: 'Parameters', parameter: [] }))).toBe(400);
    expect(statusOf(() => uploadRequest({ resourceType: 'Binary' }))).toBe(400);
  });
});

describe('uploadUrlParameters', () => {
  it('answers the url, the Binary reference, the expiry and each header to send', () => {
    const answer = uploadUrlParameters({
      url: 'https://s3.example/put',
      binaryId: 'b1',
      expires: new Date('2026-01-01T00:05:00Z'),
      headers: { 'Content-Type': 'application/pdf' },
    });
    expect(answer.parameter).toEqual([
      { name: 'url', valueUrl: 'https://s3.example/put' },
      { name: 'binary', valueReference: { reference: 'Binary/b1' } },
      { name: 'expires', valueInstant: '2026-01-01T00:05:00.000Z' },
      { name: 'header', valueString: 'Content-Type: application/pdf' },
    ]);
  });
});
