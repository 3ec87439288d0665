import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '../fhir/operation-outcome.ts';
import type { ViewerSession } from './viewer-session.ts';

/** The form field every viewer form carries its session's CSRF token in. */
export const CSRF_FIELD = 'csrf';

/**
 * Checks a form's CSRF token against its session's (the synchroniser-token pattern), on top of the cookie's
 * SameSite=Strict: a page on another site can neither read the token nor send the cookie.
 */
export function assertCsrfToken(session: ViewerSession, form: URLSearchParams): void {
  const sent = Buffer.from(form.get(CSRF_FIELD) ?? '');
  const expected = Buffer.from(session.csrfToken);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new ForbiddenError('This form has expired or did not come from the viewer: open the page again');
  }
}
