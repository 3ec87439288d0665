/**
 * What API Gateway answers itself, before any function runs: the authorizer's refusals and unknown routes.
 * Declared once as FHIR OperationOutcome bodies; the stack sets them as gateway responses and the sandbox's
 * gateway answers the same.
 */
export interface GatewayResponseDefinition {
  /** API Gateway's response type. */
  type:
    | 'UNAUTHORIZED'
    | 'ACCESS_DENIED'
    | 'MISSING_AUTHENTICATION_TOKEN'
    | 'BAD_REQUEST_PARAMETERS'
    | 'REQUEST_TOO_LARGE'
    | 'THROTTLED';
  statusCode: number;
  issueCode: string;
  diagnostics: string;
  /** Response headers besides `Content-Type` (static values). */
  headers?: Record<string, string>;
}

export const gatewayResponses: GatewayResponseDefinition[] = [
  {
    type: 'UNAUTHORIZED',
    statusCode: 401,
    issueCode: 'login',
    diagnostics: 'A valid access token is required: send Authorization: Bearer <token> from /oauth2/token',
    // RFC 6750 §3. API Gateway answers this type both without a token and when the authorizer throws
    // `Unauthorized`, so it cannot say `error="invalid_token"`; a refused token answered as a Deny can.
    headers: { 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' },
  },
  {
    type: 'ACCESS_DENIED',
    statusCode: 401,
    issueCode: 'login',
    diagnostics: 'The access token is invalid or has expired',
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Cache-Control': 'no-store' },
  },
  {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    statusCode: 404,
    issueCode: 'not-supported',
    diagnostics: 'No such endpoint: see GET /FHIR/R4/metadata for what is supported',
  },
  {
    type: 'BAD_REQUEST_PARAMETERS',
    statusCode: 400,
    issueCode: 'structure',
    diagnostics: 'The request path or query string is not valid percent-encoded UTF-8',
  },
  {
    type: 'REQUEST_TOO_LARGE',
    statusCode: 413,
    issueCode: 'too-costly',
    diagnostics: 'The request body is larger than the API accepts',
  },
  { type: 'THROTTLED', statusCode: 429, issueCode: 'throttled', diagnostics: 'Too many requests: slow down' },
];

/** The OperationOutcome body of a gateway response. */
export function gatewayResponseBody(r: GatewayResponseDefinition): string {
  return JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: r.issueCode, diagnostics: r.diagnostics }],
  });
}
