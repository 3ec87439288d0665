import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { BadRequestError, OperationOutcomeError, PayloadTooLargeError } from '../fhir/operation-outcome.ts';
import { declarationProblems } from './content-verification.ts';
import { MAX_UPLOAD_BYTES } from './document-limits.ts';

/** What a client says it is about to upload: the claims the stored object will be held to. */
export interface UploadRequest {
  contentType: string;
  size: number;
  hash: string;
}

/**
 * Reads the `Parameters` of `POST /Binary/$upload-url`: `contentType` (code or string), `size` (integer or
 * unsignedInt, bytes) and `hash` (base64Binary or string: the base64 SHA-1). Each must be there once and
 * well-formed and of an allowed type (400), and no larger than a presigned upload takes (413).
 */
export function uploadRequest(body: Record<string, unknown>): UploadRequest {
  if (body.resourceType !== 'Parameters') {
    throw new BadRequestError('$upload-url takes a Parameters resource', 'invalid', ['resourceType']);
  }
  const parameters = Array.isArray(body.parameter) ? (body.parameter as ParametersParameter[]) : [];
  const one = (name: string) => {
    const found = parameters.filter((p) => p.name === name);
    if (found.length !== 1) {
      throw new BadRequestError(`$upload-url needs exactly one '${name}' parameter`, 'required', [
        `Parameters.parameter`,
      ]);
    }
    return found[0] as ParametersParameter;
  };
  const [type, length, digest] = [one('contentType'), one('size'), one('hash')];
  const contentType = type.valueCode ?? type.valueString;
  const size = length.valueInteger ?? length.valueUnsignedInt ?? length.valuePositiveInt;
  const hash = digest.valueBase64Binary ?? digest.valueString;
  const problems = declarationProblems({ contentType, size, hash }, 'Parameters');
  if (problems.length) throw new OperationOutcomeError(400, problems);
  if ((size as number) > MAX_UPLOAD_BYTES) {
    throw new PayloadTooLargeError(`A document may be at most ${MAX_UPLOAD_BYTES} bytes`);
  }
  return { contentType: contentType as string, size: size as number, hash: hash as string };
}

/** The answer of `$upload-url`: where to PUT the bytes, with which headers, and the Binary to name afterwards. */
export function uploadUrlParameters(upload: {
  url: string;
  binaryId: string;
  expires: Date;
  headers: Record<string, string>;
}): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'url', valueUrl: upload.url },
      { name: 'binary', valueReference: { reference: `Binary/${upload.binaryId}` } },
      { name: 'expires', valueInstant: upload.expires.toISOString() },
      ...Object.entries(upload.headers).map(([name, value]) => ({
        name: 'header',
        valueString: `${name}: ${value}`,
      })),
    ],
  };
}
