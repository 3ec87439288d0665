import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller } from '../access/access-token.ts';
import type { PurposeOfUse } from '../audit/audit-event.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { callerOf } from './caller.ts';

/** Who is asking, why, and for whom: what every interaction needs to decide and to audit. */
export interface RequestContext {
  caller: Caller;
  purpose: PurposeOfUse;
  /** The person using the supplier system (`NHSD-End-User-Id`), recorded in audit. */
  endUser?: string;
  fhirBase: string;
}

const MAX_REASON_LENGTH = 1000;

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
  return {
    caller: callerOf(event),
    purpose: code === 'ETREAT' ? { code, breakGlassReason: reason } : { code },
    ...(endUser ? { endUser } : {}),
    fhirBase,
  };
}
