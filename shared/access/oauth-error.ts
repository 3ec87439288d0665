/** The `error` codes of RFC 6749 §5.2 that the token endpoint answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type';

/**
 * A refused token request, answered as RFC 6749 §5.2 says: `{"error": …, "error_description": …}`.
 * @example throw new OAuthError(400, 'invalid_grant', 'The assertion has expired')
 */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
