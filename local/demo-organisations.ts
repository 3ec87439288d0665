import type { OrganisationRole } from '#shared/access/supplier-client';

/** A demo organisation of the sandbox and the supplier client that acts for it alone. */
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
  // The ICB's population-health analysts (CONTRACT §8): bulk export only; the access rule refuses them anything
  // else, whatever their scopes (`shared/access/analyst-access.ts`). Bulk Data asks for read scopes.
  {
    role: 'analyst',
    odsCode: 'QNB01',
    name: 'NHS Northbridge ICB Population Health Analytics',
    type: 'govt',
    scopes: ['system/*.read'],
  },
];

/** A sandbox supplier system that serves several of the demo organisations (CONTRACT §1). */
export interface DemoSupplierSystem {
  role: OrganisationRole;
  name: string;
  /** The ODS codes it acts for; the first is its `odsCode` in clients.json. */
  organisations: string[];
  scopes: string[];
}

/** One GP system serving both demo practices, as one supplier's system serves many practices in a region. */
export const demoSupplierSystems: DemoSupplierSystem[] = [
  {
    role: 'gp-system',
    name: 'Riverside and Hillview GP system (sandbox supplier system)',
    organisations: ['A81001', 'A81002'],
    scopes: clinical,
  },
];
