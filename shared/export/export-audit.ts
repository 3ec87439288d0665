import type { AuditEvent } from '@medplum/fhirtypes';
import {
  ACT_REASON_SYSTEM,
  AUDIT_SUBTYPE_SYSTEM,
  CLIENT_ID_SYSTEM,
  END_USER_SYSTEM,
  JOB_ROLE_SYSTEM,
} from '../audit/audit-event.ts';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import type { ExportJob, ExportSummary } from './export-job.ts';

/** The audit subtypes of an export: pseudonymised, or identified for a listed purpose (audited apart). */
export const EXPORT_SUBTYPE = 'bulk-export';
export const IDENTIFIED_EXPORT_SUBTYPE = 'bulk-export-identified';

/**
 * The AuditEvent of a finished export (CONTRACT §8): who exported (the client, its organisation and, when the
 * kick-off named them, the analyst by SDS user id), what was
 * asked (the kick-off URL as the query), and how many patients and resources went out and how many patients
 * the national data opt-out left out. Purpose of use is population health (`POPHLTH`); an identified export
 * has its own subtype and names its purpose, so it is found in the trail apart from the pseudonymised ones.
 */
export function exportAuditEvent(
  job: ExportJob,
  summary: ExportSummary,
  recorded: Date,
): AuditEvent & { id: string; recorded: string } {
  const purpose = job.request.identifiedFor;
  const purposeOfUse = [{ coding: [{ system: ACT_REASON_SYSTEM, code: 'POPHLTH' }] }];
  const count = (type: string, value: number) => ({ type, valueString: String(value) });
  return {
    resourceType: 'AuditEvent',
    id: crypto.randomUUID(),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
    subtype: [
      { system: 'http://hl7.org/fhir/restful-interaction', code: 'operation' },
      {
        system: AUDIT_SUBTYPE_SYSTEM,
        code: purpose ? IDENTIFIED_EXPORT_SUBTYPE : EXPORT_SUBTYPE,
        display: purpose ? 'Identified bulk export' : 'Pseudonymised bulk export',
      },
    ],
    action: 'E',
    recorded: recorded.toISOString(),
    outcome: '0',
    purposeOfEvent: purposeOfUse,
    agent: [
      {
        who: { identifier: { system: CLIENT_ID_SYSTEM, value: job.clientId } },
        requestor: !job.endUser,
        purposeOfUse,
      },
      {
        who: {
          reference: `Organization/${job.odsCode}`,
          identifier: { system: ODS_CODE_SYSTEM, value: job.odsCode },
        },
        requestor: false,
      },
      ...(job.endUser
        ? [
            {
              who: { identifier: { system: END_USER_SYSTEM, value: job.endUser.id } },
              ...(job.endUser.role
                ? { role: [{ coding: [{ system: JOB_ROLE_SYSTEM, code: job.endUser.role }] }] }
                : {}),
              requestor: true,
              purposeOfUse,
            },
          ]
        : []),
    ],
    source: { observer: { display: 'Shared Care Record' } },
    entity: [
      {
        what: { identifier: { value: job.exportId } },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2' },
        query: Buffer.from(job.request.url).toString('base64'),
        detail: [
          count('patients', summary.patients),
          count('opted-out-patients-left-out', summary.optedOut),
          ...Object.entries(summary.resources).map(([type, n]) => count(`resources:${type}`, n)),
          ...(purpose ? [{ type: 'identified-purpose', valueString: purpose.code }] : []),
        ],
      },
    ],
  };
}
