import type { Patient } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';

/** The ODS code of a Patient's registered GP practice, from `generalPractitioner`. */
export function registeredPracticeOf(patient: Patient): string | undefined {
  for (const gp of patient.generalPractitioner ?? []) {
    if (gp.identifier?.system === ODS_CODE_SYSTEM && gp.identifier.value) return gp.identifier.value;
    const m = /(?:^|\/)Organization\/([A-Z0-9]+)$/.exec(gp.reference ?? '');
    if (m) return m[1];
  }
  return undefined;
}
