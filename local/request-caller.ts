import { decodeJwt } from 'jose';

/**
 * Who a token request says it is from: the `iss` of its client assertion, unverified (the ops page counts
 * refusals by it too), or undefined. Only what could be a client id is kept, so no caller's text reaches the page.
 */
export function assertionClient(formBody: string | undefined): string | undefined {
  if (!formBody) return undefined;
  try {
    const assertion = new URLSearchParams(formBody).get('client_assertion');
    const iss = assertion ? decodeJwt(assertion).iss : undefined;
    return typeof iss === 'string' && /^[\w.:-]{1,128}$/.test(iss) ? iss : undefined;
  } catch {
    return undefined;
  }
}
