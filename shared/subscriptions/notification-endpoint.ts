import { isIP } from 'node:net';
import { UnprocessableEntityError } from '../fhir/operation-outcome.ts';
import { isPublicAddress } from './endpoint-address.ts';

/** Hosts the sandbox delivers to over plain HTTP (CONTRACT §1); a cloud deployment never does. */
const LOCAL_HOSTS = ['localhost', '127.0.0.1'];

/** Whether this deployment accepts `http://localhost` endpoints: the sandbox sets `ALLOW_LOCAL_ENDPOINTS=true`. */
export function localEndpointsAllowed(): boolean {
  return process.env.ALLOW_LOCAL_ENDPOINTS === 'true';
}

/** A rest-hook endpoint that passed the URL rules; `local` ones skip the public-address checks. */
export interface NotificationEndpoint {
  url: URL;
  local: boolean;
}

/**
 * Checks a `channel.endpoint` against the URL rules: `https`, no credentials in the URL, and not an IP literal
 * outside the public internet; with local endpoints allowed, `http(s)://localhost` and `http(s)://127.0.0.1` too.
 * The host's DNS answers are checked separately, at subscription and again at every delivery.
 * @throws UnprocessableEntityError saying what is wrong
 */
export function notificationEndpoint(
  endpoint: string,
  allowLocal = localEndpointsAllowed(),
): NotificationEndpoint {
  const refuse = (why: string): never => {
    throw new UnprocessableEntityError(why, [
      { code: 'value', diagnostics: why, expression: ['Subscription.channel.endpoint'] },
    ]);
  };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return refuse(`channel.endpoint '${endpoint}' is not an absolute URL`);
  }
  if (url.username || url.password) refuse('channel.endpoint must not carry credentials: use channel.header');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const local = allowLocal && LOCAL_HOSTS.includes(host) && ['http:', 'https:'].includes(url.protocol);
  if (local) return { url, local };
  if (url.protocol !== 'https:') refuse('channel.endpoint must be an https URL');
  if (isIP(host) && !isPublicAddress(host)) {
    refuse(`channel.endpoint must be on the public internet, not ${host}`);
  }
  return { url, local: false };
}
