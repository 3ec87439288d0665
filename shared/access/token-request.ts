import { issueAccessToken } from './access-token.ts';
import { spendAssertionId } from './assertion-replay.ts';
import { CLIENT_ASSERTION_TYPE, verifyClientAssertion } from './client-assertion.ts';
import { OAuthError } from './oauth-error.ts';

/**
 * The client-credentials grant with a signed JWT client assertion (NHS application-restricted access):
 * checks the form, verifies the assertion, spends its `jti` and issues a short-lived access token.
 */
export async function grantAccessToken(form: Record<string, unknown>, tokenUrl: string, issuer: string) {
  const field = (name: string) => {
    const v = form[name];
    if (typeof v !== 'string' || v === '')
      throw new OAuthError(400, 'invalid_request', `${name} is required`);
    return v;
  };
  if (field('grant_type') !== 'client_credentials') {
    throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  if (field('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
    throw new OAuthError(400, 'invalid_request', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
  }
  const { client, jti, exp } = await verifyClientAssertion(field('client_assertion'), tokenUrl);
  await spendAssertionId(client.clientId, jti, exp);
  return issueAccessToken(client, issuer);
}
