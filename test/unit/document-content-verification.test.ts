import { describe, expect, it } from 'vitest';
import { digestBytes, digestStream } from '#shared/documents/content-digest';
import { documentKindOf } from '#shared/documents/content-types';
import { contentProblems, declarationProblems } from '#shared/documents/content-verification';
import { minimalPdf, sha1Base64, windowsExecutable } from '../support/documents.ts';

const PATH = 'DocumentReference.content[0].attachment';
const pdf = minimalPdf();
const claims = { contentType: 'application/pdf', size: pdf.length, hash: sha1Base64(pdf) };

describe('contentProblems', () => {
  it('finds nothing wrong with a PDF whose size and SHA-1 are as declared', () => {
    expect(contentProblems(claims, digestBytes(pdf), PATH)).toEqual([]);
  });

  it('finds a hash that is not the SHA-1 of the bytes', () => {
    const problems = contentProblems(
      { ...claims, hash: sha1Base64(Buffer.from('other')) },
      digestBytes(pdf),
      PATH,
    );
    expect(problems).toEqual([expect.objectContaining({ code: 'value', expression: [`${PATH}.hash`] })]);
  });

  it('finds a size that is not the number of bytes', () => {
    const problems = contentProblems({ ...claims, size: pdf.length + 1 }, digestBytes(pdf), PATH);
    expect(problems).toEqual([expect.objectContaining({ expression: [`${PATH}.size`] })]);
  });

  it('finds an executable declared as a PDF', () => {
    const exe = windowsExecutable();
    const problems = contentProblems(
      { contentType: 'application/pdf', size: exe.length, hash: sha1Base64(exe) },
      digestBytes(exe),
      PATH,
    );
    expect(problems).toEqual([
      expect.objectContaining({ diagnostics: expect.stringMatching(/not of an allowed type/) }),
    ]);
  });

  it('finds a declared type that disagrees with the bytes', () => {
    const problems = contentProblems({ ...claims, contentType: 'image/png' }, digestBytes(pdf), PATH);
    expect(problems).toEqual([
      expect.objectContaining({
        diagnostics: 'The attachment is declared image/png but its bytes are a PDF',
      }),
    ]);
  });
});

describe('declarationProblems', () => {
  it('needs a content type, size and hash', () => {
    expect(declarationProblems({}, PATH).map((p) => p.expression?.[0])).toEqual([
      `${PATH}.contentType`,
      `${PATH}.size`,
      `${PATH}.hash`,
    ]);
  });

  it('refuses a type outside the allow-list, a size under 1 and a hash that is not a SHA-1', () => {
    const problems = declarationProblems(
      { contentType: 'application/x-msdownload', size: 0, hash: 'abc=' },
      PATH,
    );
    expect(problems.map((p) => p.code)).toEqual(['value', 'value', 'value']);
  });
});

describe('documentKindOf', () => {
  it('ignores case and parameters, and knows CDA by its media types', () => {
    expect(documentKindOf('Text/Plain; charset=UTF-8')).toBe('text');
    expect(documentKindOf('application/hl7-v3+xml')).toBe('cda');
    expect(documentKindOf('text/html')).toBeUndefined();
  });
});

describe('digestStream', () => {
  async function* chunks(bytes: Buffer, size: number) {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  it('gives the same size, SHA-1 and head as the whole bytes, whatever the chunking', async () => {
    const bytes = minimalPdf('x', 20_000);
    const whole = digestBytes(bytes);
    for (const size of [1, 7, 4096, 65_536]) {
      const streamed = await digestStream(chunks(bytes, size), 1e9);
      expect({ ...streamed, head: Buffer.from(streamed.head) }).toEqual({
        ...whole,
        head: Buffer.from(whole.head),
      });
    }
  });

  it('stops once the stream is longer than allowed', async () => {
    const digest = await digestStream(chunks(Buffer.alloc(10_000), 1000), 4000);
    expect(digest.size).toBe(5000);
  });
});
