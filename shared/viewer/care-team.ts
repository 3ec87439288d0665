import type { Encounter, EpisodeOfCare, Patient, ServiceRequest } from '@medplum/fhirtypes';
import { registeredPracticeOf } from '../record/registered-practice.ts';
import type { RecordEntry } from './viewer-record.ts';

/** One organisation involved in the patient's care, and over what dates. */
export interface CareTeamMember {
  odsCode: string;
  /** Registered GP practice, care context (encounter or episode of care), or referral to it. */
  roles: Set<'Registered GP practice' | 'Care context' | 'Referral'>;
  from?: string;
  to?: string;
  /** True while a care context or referral is still open. */
  open: boolean;
}

const odsOf = (reference: string | undefined) => reference?.match(/^Organization\/(.+)$/)?.[1];

/**
 * Who else is involved: the registered practice and every organisation holding a care context (an Encounter or
 * EpisodeOfCare it provides or manages, or a ServiceRequest naming it as performer), with the dates they span.
 */
export function careTeam(patient: Patient, entries: RecordEntry[]): CareTeamMember[] {
  const team = new Map<string, CareTeamMember>();
  const add = (
    ods: string | undefined,
    role: 'Registered GP practice' | 'Care context' | 'Referral',
    from?: string,
    to?: string,
    open = false,
  ) => {
    if (!ods) return;
    const member = team.get(ods) ?? { odsCode: ods, roles: new Set(), open: false };
    member.roles.add(role);
    if (from && (!member.from || from < member.from)) member.from = from;
    if (to && (!member.to || to > member.to)) member.to = to;
    member.open ||= open;
    team.set(ods, member);
  };
  add(registeredPracticeOf(patient), 'Registered GP practice', undefined, undefined, true);
  for (const { resource, contributor } of entries) {
    if (resource.resourceType === 'Encounter') {
      const e = resource as Encounter;
      add(
        odsOf(e.serviceProvider?.reference) ?? contributor,
        'Care context',
        e.period?.start,
        e.period?.end,
        !e.period?.end,
      );
    } else if (resource.resourceType === 'EpisodeOfCare') {
      const e = resource as EpisodeOfCare;
      add(
        odsOf(e.managingOrganization?.reference) ?? contributor,
        'Care context',
        e.period?.start,
        e.period?.end,
        e.status === 'active',
      );
    } else if (resource.resourceType === 'ServiceRequest') {
      const s = resource as ServiceRequest;
      for (const p of s.performer ?? [])
        add(odsOf(p.reference), 'Referral', s.authoredOn, undefined, s.status === 'active');
    }
  }
  return [...team.values()];
}
