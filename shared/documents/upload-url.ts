import type { Parameters } from '@medplum/fhirtypes';
import { hasScope } from '../access/scopes.ts';
import { ForbiddenError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { putUploadIntent } from './binary-store.ts';
import { presignUpload, uploadKey } from './document-bucket.ts';
import { UPLOAD_CLAIM_SECONDS, UPLOAD_URL_SECONDS } from './document-limits.ts';
import { uploadRequest, uploadUrlParameters } from './upload-request.ts';

/**
 * `POST /Binary/$upload-url` (CONTRACT §6): for a client that may create DocumentReferences, a new Binary id
 * and a presigned PUT for its bytes under `uploads/`, remembered with the claims made for them and the
 * organisation that may claim it, so the DocumentReference naming it can be checked against both.
 */
export async function requestUploadUrl(
  body: Record<string, unknown>,
  ctx: RequestContext,
): Promise<Parameters> {
  if (!hasScope(ctx.caller.scopes, 'DocumentReference', 'c')) {
    throw new ForbiddenError("The client's scopes do not allow creating DocumentReference");
  }
  const upload = uploadRequest(body);
  const binaryId = crypto.randomUUID();
  const now = Date.now();
  await putUploadIntent(
    { binaryId, organisation: ctx.caller.odsCode, ...upload },
    new Date(now + UPLOAD_CLAIM_SECONDS * 1000),
  );
  const { url, headers } = await presignUpload(uploadKey(binaryId), upload);
  return uploadUrlParameters({ url, binaryId, headers, expires: new Date(now + UPLOAD_URL_SECONDS * 1000) });
}
