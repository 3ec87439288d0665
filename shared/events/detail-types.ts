/** The detail-types the service publishes (CONTRACT §5), all with source `shared-care-record`. */
export const detailTypes = [
  'Encounter.Admitted',
  'Encounter.Discharged',
  'Flag.SafeguardingRaised',
  'Patient.Deceased',
  'DocumentReference.Added',
  'ServiceRequest.Received',
  'Appointment.Booked',
  'Appointment.Cancelled',
  'DiagnosticReport.Added',
  'Composition.DischargeSummaryAdded',
  'Access.BreakGlass',
  'Access.RelationshipStarted',
] as const;

export type DetailType = (typeof detailTypes)[number];

/**
 * An event waiting in the outbox. Its detail carries references and codes, never clinical content or
 * demographics: subscribers fetch what they are entitled to.
 */
export interface OutboxEvent {
  detailType: DetailType;
  detail: {
    /** Stable across retries, so subscribers can drop duplicates. Set when the journal entry is written. */
    eventId?: string;
    patient?: string;
    focus?: string;
    organisation?: string;
    [field: string]: unknown;
  };
}
