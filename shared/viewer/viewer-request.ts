import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { BadRequestError, ForbiddenError, OperationOutcomeError } from '../fhir/operation-outcome.ts';
import { publicBaseUrl } from '../http/public-url.ts';
import type { RequestContext } from '../http/request-context.ts';
import { FHIR_BASE_PATH, VIEWER_BASE_PATH } from '../service/routes.ts';
import { IDLE_TIMEOUT_MS, resumeSession, type ViewerSession } from './viewer-session.ts';

/**
 * The session cookie. `__Host-` makes the browser insist on Secure, Path=/ and no Domain, so no other host
 * (a sibling subdomain) can set or overwrite it.
 */
export const SESSION_COOKIE = '__Host-scr-viewer';

/** 401: there is no viewer session, or it has been idle too long. Answered as a page, never with data. */
export class ViewerSessionEndedError extends OperationOutcomeError {
  constructor() {
    super(401, [
      { code: 'login', diagnostics: 'The viewer session has ended: open the record again from your system' },
    ]);
    this.name = 'ViewerSessionEndedError';
  }
}

/** The viewer's base URL and the FHIR base, as the person's browser reached them. */
export function viewerUrls(event: APIGatewayProxyEvent): { viewerBase: string; fhirBase: string } {
  const base = publicBaseUrl(event);
  return { viewerBase: `${base}${VIEWER_BASE_PATH}`, fhirBase: `${base}${FHIR_BASE_PATH}` };
}

/** The Set-Cookie header that holds a session: HttpOnly, Secure, SameSite=Strict; it lives as long as the browser. */
export function sessionCookieHeader(id: string): string {
  return serializeCookie(SESSION_COOKIE, id, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
}

/**
 * The session of a page request, resumed (and its idle clock restarted), for the patient in the URL only: a
 * session opened for one patient is refused on any other patient's page (403).
 */
export async function sessionFor(
  event: APIGatewayProxyEvent,
  now = Date.now(),
): Promise<{ id: string; session: ViewerSession }> {
  const id = parseCookies(event.headers.cookie ?? '')[SESSION_COOKIE];
  const session = await resumeSession(id, now);
  if (!id || !session) throw new ViewerSessionEndedError();
  const nhs = event.pathParameters?.nhs;
  if (nhs !== undefined && nhs !== session.patient) {
    throw new ForbiddenError(
      'This viewer session was opened for another patient: open this record from your system',
    );
  }
  return { id, session };
}

/** The request context the domain's access rules and audit take, for the session's person. */
export function sessionContext(session: ViewerSession, fhirBase: string): RequestContext {
  const { id, role } = session.person;
  return {
    caller: session.caller,
    purpose: session.purpose,
    endUser: { id, ...(role ? { role } : {}) },
    fhirBase,
  };
}

/** A posted form's fields (`application/x-www-form-urlencoded`). */
export function formFields(event: APIGatewayProxyEvent): URLSearchParams {
  if (!(event.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    throw new BadRequestError('Viewer forms are sent as application/x-www-form-urlencoded', 'structure');
  }
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  return new URLSearchParams(body);
}

export { IDLE_TIMEOUT_MS };
