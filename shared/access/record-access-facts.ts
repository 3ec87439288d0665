import type { CareContexts } from './care-context.ts';

/**
 * What the access rules need to know about one patient's record, for one calling organisation:
 * read in one round trip beside the data itself.
 */
export interface RecordAccessFacts {
  /** The Patient is registered (present and not deleted). */
  patientRegistered: boolean;
  /** ODS code of the patient's registered GP practice (`Patient.generalPractitioner`). */
  registeredPractice?: string;
  /** The calling organisation's care contexts for this patient: where a relationship other than the GP's comes from. */
  careContexts: CareContexts;
  /** The patient has an active Consent with a `deny` provision: an objection to sharing. */
  sharingObjection: boolean;
}
