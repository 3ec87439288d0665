import type { CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { BACKPORT_SUBSCRIPTION_PROFILE, STATUS_OPERATION_URL, TOPIC_CANONICAL_URL } from './backport.ts';
import { subscriptionTopics } from './subscription-topics.ts';

/**
 * The CapabilityStatement's entry for Subscription, as the R4 backport IG asks: the backport profile, the
 * interactions and `$status`, and each topic's canonical URL in a `capabilitystatement-subscriptiontopic-canonical`
 * extension.
 */
export function subscriptionCapability(): CapabilityStatementRestResource {
  return {
    type: 'Subscription',
    extension: subscriptionTopics.map((t) => ({ url: TOPIC_CANONICAL_URL, valueCanonical: t.url })),
    supportedProfile: [BACKPORT_SUBSCRIPTION_PROFILE],
    interaction: [
      { code: 'create' },
      { code: 'read' },
      { code: 'vread' },
      { code: 'delete' },
      { code: 'search-type' },
    ],
    searchParam: [
      {
        name: 'status',
        type: 'token',
        definition: 'http://hl7.org/fhir/SearchParameter/Subscription-status',
      },
    ],
    operation: [
      { name: 'status', definition: STATUS_OPERATION_URL },
      {
        name: 'events',
        definition:
          'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events',
        documentation:
          'The notifications of the last 7 days by event number, so a receiver that was down catches up',
      },
    ],
  };
}
