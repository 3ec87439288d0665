import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueCode = OperationOutcomeIssue['code'];
export type IssueSeverity = OperationOutcomeIssue['severity'];

/** One problem, as an OperationOutcome issue names it. */
export interface Issue {
  severity?: IssueSeverity;
  code: IssueCode;
  diagnostics: string;
  expression?: string[];
}

/** Builds an OperationOutcome from issues; severity defaults to `error`. */
export function operationOutcome(issues: Issue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity ?? 'error',
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression ? { expression: i.expression } : {}),
    })),
  };
}

/**
 * A failure the caller can act on: an HTTP status and the OperationOutcome that says what is wrong.
 * Thrown anywhere below a handler; the FHIR error middleware turns it into the response.
 * @example throw new OperationOutcomeError(400, [{ code: 'invalid', diagnostics: 'NHS number fails its check digit' }])
 */
export class OperationOutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly issues: Issue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(issues.map((i) => i.diagnostics).join('; '));
    this.name = 'OperationOutcomeError';
  }

  get outcome(): OperationOutcome {
    return operationOutcome(this.issues);
  }
}

/** 400: the request is malformed or breaks a rule of the API. */
export class BadRequestError extends OperationOutcomeError {
  constructor(diagnostics: string, code: IssueCode = 'invalid', expression?: string[]) {
    super(400, [{ code, diagnostics, expression }]);
    this.name = 'BadRequestError';
  }
}

/** 401: no valid access token. */
export class UnauthorizedError extends OperationOutcomeError {
  constructor(diagnostics = 'A valid access token is required') {
    super(401, [{ code: 'login', diagnostics }], { 'WWW-Authenticate': 'Bearer' });
    this.name = 'UnauthorizedError';
  }
}

/** 403: authenticated, but not allowed to do this. */
export class ForbiddenError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(403, [{ code: 'forbidden', diagnostics }]);
    this.name = 'ForbiddenError';
  }
}

/** 404: no such resource (or one the caller may not know exists). */
export class NotFoundError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(404, [{ code: 'not-found', diagnostics }]);
    this.name = 'NotFoundError';
  }
}

/** 405: the interaction is not supported on this resource type. */
export class MethodNotAllowedError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(405, [{ code: 'not-supported', diagnostics }]);
    this.name = 'MethodNotAllowedError';
  }
}

/** 410: the resource was deleted. */
export class GoneError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(410, [{ code: 'deleted', diagnostics }]);
    this.name = 'GoneError';
  }
}

/** 412: `If-Match` names a version that is no longer current. */
export class PreconditionFailedError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(412, [{ code: 'conflict', diagnostics }]);
    this.name = 'PreconditionFailedError';
  }
}

/** 413: the body or bundle is larger than the API takes. */
export class PayloadTooLargeError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(413, [{ code: 'too-costly', diagnostics }]);
    this.name = 'PayloadTooLargeError';
  }
}

/** 415: the body is not FHIR JSON. */
export class UnsupportedMediaTypeError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(415, [{ code: 'not-supported', diagnostics }]);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** 422: well-formed, but breaks a business rule (for example an unregistered patient). */
export class UnprocessableEntityError extends OperationOutcomeError {
  constructor(diagnostics: string, issues?: Issue[]) {
    super(422, issues ?? [{ code: 'processing', diagnostics }]);
    this.name = 'UnprocessableEntityError';
  }
}

/** 428: an update without `If-Match`. */
export class PreconditionRequiredError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(428, [{ code: 'required', diagnostics }]);
    this.name = 'PreconditionRequiredError';
  }
}

/** 503: a dependency the answer needs (audit, storage) is unavailable; nothing was returned. */
export class ServiceUnavailableError extends OperationOutcomeError {
  constructor(diagnostics: string) {
    super(503, [{ code: 'transient', diagnostics }]);
    this.name = 'ServiceUnavailableError';
  }
}
