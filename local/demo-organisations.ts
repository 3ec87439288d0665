import type { OrganisationRole } from '#shared/access/supplier-client';

/** A demo organisation of the sandbox and the supplier client that acts for it. */
export interface DemoOrganisation {
  role: OrganisationRole;
  odsCode: string;
  name: string;
  /** FHIR organization-type code (http://terminology.hl7.org/CodeSystem/organization-type). */
  type: 'prov' | 'govt' | 'other';
  scopes: string[];
}

const clinical = ['system/*.cruds'];

/** The sandbox's region: fictional organisations, one per role CONTRACT §1 names. */
export const demoOrganisations: DemoOrganisation[] = [
  { role: 'gp', odsCode: 'A81001', name: 'Riverside Medical Practice', type: 'prov', scopes: clinical },
  { role: 'gp-other', odsCode: 'A81002', name: 'Hillview Surgery', type: 'prov', scopes: clinical },
  {
    role: 'acute',
    odsCode: 'RX1',
    name: 'Northbridge University Hospitals NHS Trust',
    type: 'prov',
    scopes: clinical,
  },
  {
    role: 'community',
    odsCode: 'RX2',
    name: 'Northbridge Community and Mental Health NHS Trust',
    type: 'prov',
    scopes: clinical,
  },
  {
    role: 'social-care',
    odsCode: 'LA101',
    name: 'Northbridge Council Adult Social Care',
    type: 'govt',
    scopes: clinical,
  },
  {
    role: 'auditor',
    odsCode: 'QNB',
    name: 'NHS Northbridge Integrated Care Board',
    type: 'govt',
    scopes: ['system/AuditEvent.rs', 'system/Organization.rs'],
  },
];
