/**
 * The ODS codes of the deployment's social care organisations (local authority adult and children's
 * services), from `SOCIAL_CARE_ODS_CODES` (comma-separated): the ICB config's `socialCareOdsCodes`, or the
 * sandbox's seeded council. Admission and discharge notices go to those among them related to the patient.
 */
export function socialCareOdsCodes(): string[] {
  return (process.env.SOCIAL_CARE_ODS_CODES ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}
