import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';
import type { Caller } from '../access/access-token.ts';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';

export const CLIENT_ID_SYSTEM = 'https://shared-care-record.org/fhir/Id/client-id';
export const END_USER_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';
export const ACT_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
export const AUDIT_SUBTYPE_SYSTEM = 'https://shared-care-record.org/fhir/CodeSystem/audit-subtype';
export const RELATIONSHIP_STARTED = 'relationship-started';

/** Why the caller is acting: `TREAT` (direct care), or `ETREAT` (emergency break-glass, with its reason). */
export interface PurposeOfUse {
  code: 'TREAT' | 'ETREAT';
  breakGlassReason?: string;
}

/** The national RBAC job role codes (`NHSD-End-User-Role`), as NHS England's FHIR APIs code them. */
export const JOB_ROLE_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode';

/** The person using the supplier system: their SDS user id and, when given, their national RBAC role. */
export interface EndUser {
  id: string;
  role?: string;
}

/** What happened, for the audit trail. */
export interface AuditFacts {
  caller: Pick<Caller, 'clientId' | 'odsCode'>;
  endUser?: EndUser;
  purpose: PurposeOfUse;
  /** The FHIR restful interaction (`read`, `create`, `search-type`, `operation`…). */
  interaction: string;
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  /** `0` success, `4` refused (minor failure), `8` failed (serious). */
  outcome: '0' | '4' | '8';
  outcomeDesc?: string;
  patient: string;
  /** References of the resources touched (`Condition/abc/_history/2`). */
  resources?: string[];
  /** The query of a search, without its values' meaning to anyone but an auditor. */
  query?: string;
  /** ODS codes of the organisations whose relationship with the patient this interaction started (a claim). */
  relationshipStarted?: string[];
  recorded?: Date;
}

/**
 * A FHIR R4 AuditEvent for one interaction with a patient's record: who (the supplier system, its
 * organisation and any end user), why (purpose of use, break-glass reason), what (the patient and the
 * resources) and the outcome.
 */
export function auditEvent(
  facts: AuditFacts,
  id: string = crypto.randomUUID(),
): AuditEvent & { id: string; recorded: string } {
  const purposeOfUse = [{ coding: [{ system: ACT_REASON_SYSTEM, code: facts.purpose.code }] }];
  const patientEntity: AuditEventEntity = {
    what: { reference: `Patient/${facts.patient}` },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    ...(facts.query ? { query: Buffer.from(facts.query).toString('base64') } : {}),
  };
  const details = [
    ...(facts.purpose.breakGlassReason
      ? [{ type: 'break-glass-reason', valueString: facts.purpose.breakGlassReason }]
      : []),
    ...(facts.relationshipStarted ?? []).map((ods) => ({ type: RELATIONSHIP_STARTED, valueString: ods })),
  ];
  if (details.length) patientEntity.detail = details;
  const resourceEntities: AuditEventEntity[] = (facts.resources ?? []).map((reference) => ({
    what: { reference },
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
      code: '2',
      display: 'System Object',
    },
  }));
  return {
    resourceType: 'AuditEvent',
    id,
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
      display: 'RESTful Operation',
    },
    subtype: [
      { system: 'http://hl7.org/fhir/restful-interaction', code: facts.interaction },
      // A claim of a relationship is found in the trail by `subtype=relationship-started` (CONTRACT §4).
      ...(facts.relationshipStarted?.length
        ? [{ system: AUDIT_SUBTYPE_SYSTEM, code: RELATIONSHIP_STARTED, display: 'Relationship started' }]
        : []),
    ],
    action: facts.action,
    recorded: (facts.recorded ?? new Date()).toISOString(),
    outcome: facts.outcome,
    ...(facts.outcomeDesc ? { outcomeDesc: facts.outcomeDesc } : {}),
    purposeOfEvent: purposeOfUse,
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://dicom.nema.org/resources/ontology/DCM',
              code: '110150',
              display: 'Application',
            },
          ],
        },
        who: { identifier: { system: CLIENT_ID_SYSTEM, value: facts.caller.clientId } },
        requestor: !facts.endUser,
        purposeOfUse,
      },
      {
        who: {
          reference: `Organization/${facts.caller.odsCode}`,
          identifier: { system: ODS_CODE_SYSTEM, value: facts.caller.odsCode },
        },
        requestor: false,
        purposeOfUse,
      },
      ...(facts.endUser
        ? [
            {
              who: { identifier: { system: END_USER_SYSTEM, value: facts.endUser.id } },
              ...(facts.endUser.role
                ? { role: [{ coding: [{ system: JOB_ROLE_SYSTEM, code: facts.endUser.role }] }] }
                : {}),
              requestor: true,
              purposeOfUse,
            },
          ]
        : []),
    ],
    source: {
      observer: { display: 'Shared Care Record' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    entity: [patientEntity, ...resourceEntities],
  };
}
