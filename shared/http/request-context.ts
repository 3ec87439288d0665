import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../access/access-token.ts';
import type { EndUser, PurposeOfUse } from '../audit/audit-event.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { callerOf } from './caller.ts';

/** Who is asking, why, and for whom: what every interaction needs to decide and to audit. */
export interface RequestContext {
  caller: Caller;
  purpose: PurposeOfUse;
  /** The person using the supplier system (`NHSD-End-User-Id`, `NHSD-End-User-Role`), recorded in audit. */
  endUser?: EndUser;
  fhirBase: string;
}

const MAX_REASON_LENGTH = 1000;
// An SDS user id is digits; a role code is like `R8000` or `S0010:G0020:R8000`: nothing else reaches the audit.
const USER_HEADER = /^[A-Za-z0-9:._-]{1,100}$/;

/**
 * The request context from the verified caller and the NHS headers (normalised to lower case):
 * `NHSD-Purpose-Of-Use` is `TREAT` by default, or `ETREAT` (break-glass), which needs `NHSD-Break-Glass-Reason`.
 */
export function requestContext(event: APIGatewayProxyEvent, fhirBase: string): RequestContext {
  const headers = event.headers;
  const code = (headers['nhsd-purpose-of-use'] ?? 'TREAT').trim().toUpperCase();
  if (code !== 'TREAT' && code !== 'ETREAT') {
    throw new BadRequestError('NHSD-Purpose-Of-Use must be TREAT or ETREAT', 'value');
  }
  const reason = headers['nhsd-break-glass-reason']?.trim();
  if (code === 'ETREAT' && !reason) {
    throw new BadRequestError(
      'Break-glass (NHSD-Purpose-Of-Use: ETREAT) needs NHSD-Break-Glass-Reason',
      'required',
    );
  }
  if (reason && reason.length > MAX_REASON_LENGTH) {
    throw new BadRequestError(
      `NHSD-Break-Glass-Reason must be at most ${MAX_REASON_LENGTH} characters`,
      'value',
    );
  }
  const endUser = headers['nhsd-end-user-id']?.trim();
  const role = headers['nhsd-end-user-role']?.trim();
  for (const [name, value] of [
    ['NHSD-End-User-Id', endUser],
    ['NHSD-End-User-Role', role],
  ] as const) {
    if (value && !USER_HEADER.test(value)) {
      throw new BadRequestError(`${name} must be at most 100 letters, digits and : . _ -`, 'value');
    }
  }
  return {
    caller: callerOf(event),
    purpose: code === 'ETREAT' ? { code, breakGlassReason: reason } : { code },
    ...(endUser ? { endUser: { id: endUser, ...(role ? { role } : {}) } } : {}),
    fhirBase,
  };
}
