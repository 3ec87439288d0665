import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { UnprocessableEntityError } from '../fhir/operation-outcome.ts';
import { isPublicAddress } from './endpoint-address.ts';
import type { NotificationEndpoint } from './notification-endpoint.ts';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** Raised when a host resolves to an address outside the public internet. */
export class NonPublicAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which is not a public address`);
    this.name = 'NonPublicAddressError';
  }
}

/**
 * A `dns.lookup` for the delivery worker's sockets that refuses any answer outside the public internet: the
 * address checked is the one connected to, so a host that re-points its DNS after subscribing gains nothing.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new NonPublicAddressError(hostname, refused.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
}

/**
 * Resolves a non-local endpoint's host and refuses it unless every address is public (checked when a
 * Subscription is made, so a supplier learns of a wrong endpoint at once rather than from failed deliveries).
 */
export async function assertPublicEndpoint(endpoint: NotificationEndpoint): Promise<void> {
  if (endpoint.local) return;
  const host = endpoint.url.hostname.replace(/^\[|\]$/g, '');
  try {
    await new Promise<void>((resolve, reject) =>
      publicOnlyLookup(host, { all: true }, (error) => (error ? reject(error) : resolve())),
    );
  } catch (e) {
    const why =
      e instanceof NonPublicAddressError
        ? `channel.endpoint ${e.message}`
        : `channel.endpoint's host ${host} does not resolve`;
    throw new UnprocessableEntityError(why, [
      { code: 'value', diagnostics: why, expression: ['Subscription.channel.endpoint'] },
    ]);
  }
}
