import type { DetailType } from '../events/detail-types.ts';

/** Where the service's SubscriptionTopic canonical URLs live (CONTRACT §5). */
export const TOPIC_BASE_URL = 'https://shared-care-record.org/fhir/SubscriptionTopic/';

/** A topic a supplier may subscribe to, and the events that trigger it. */
export interface SubscriptionTopic {
  code: string;
  url: string;
  title: string;
  detailTypes: readonly DetailType[];
}

const topic = (code: string, title: string, ...detailTypes: DetailType[]): SubscriptionTopic => ({
  code,
  url: `${TOPIC_BASE_URL}${code}`,
  title,
  detailTypes,
});

/**
 * The one list of topics: the Subscription API accepts them, the CapabilityStatement advertises them and the
 * subscription rule in `shared/service/events.ts` matches their detail-types.
 */
export const subscriptionTopics: readonly SubscriptionTopic[] = [
  topic('admission', 'Patient admitted', 'Encounter.Admitted'),
  topic('discharge', 'Patient discharged', 'Encounter.Discharged'),
  topic('safeguarding', 'Safeguarding concern raised', 'Flag.SafeguardingRaised'),
  topic('death', 'Patient died', 'Patient.Deceased'),
  topic('document-added', 'Document added to the record', 'DocumentReference.Added'),
  topic('referral', 'Referral received by an organisation', 'ServiceRequest.Received'),
  topic('appointment', 'Appointment booked or cancelled', 'Appointment.Booked', 'Appointment.Cancelled'),
  topic('result', 'Result or report added', 'DiagnosticReport.Added'),
  topic('discharge-summary', 'Discharge summary added', 'Composition.DischargeSummaryAdded'),
];

/** The topic with this canonical URL, or undefined. */
export function topicByUrl(url: string): SubscriptionTopic | undefined {
  return subscriptionTopics.find((t) => t.url === url);
}

/** The topic an event of this detail-type triggers, or undefined. */
export function topicForDetailType(detailType: string): SubscriptionTopic | undefined {
  return subscriptionTopics.find((t) => (t.detailTypes as readonly string[]).includes(detailType));
}
