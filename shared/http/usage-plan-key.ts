/**
 * The API key value that ties a supplier client to its API Gateway usage plan. The token authorizer returns it
 * as `usageIdentifierKey` for the verified client and the stack creates the key with this value. The API's key
 * source is the authorizer, so API Gateway ignores any `x-api-key` a caller sends: the value identifies, it is
 * not a credential.
 *
 * @example usagePlanKey('northbridge-epr') // 'shared-care-record-usage-northbridge-epr'
 */
export function usagePlanKey(clientId: string): string {
  return `shared-care-record-usage-${clientId}`;
}
