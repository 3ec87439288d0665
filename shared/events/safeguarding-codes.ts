/** A SNOMED CT concept on the safeguarding list, with its preferred term and where its use is recommended. */
export interface SafeguardingConcept {
  code: string;
  display: string;
  source: keyof typeof SOURCES;
}

/** Where the default list comes from: UK guidance on which codes record a safeguarding concern. */
export const SOURCES = {
  // Royal College of GPs, "Safeguarding codes" table of essential codes for general practice (e-learning, part 4).
  rcgp: 'https://elearning.rcgp.org.uk/mod/book/view.php?chapterid=936&id=15290',
  // NHS England, Child Protection Information Sharing value set England-ChildProtectionPlan (2023).
  cpis: 'https://fhir.nhs.uk/England/ValueSet/England-ChildProtectionPlan',
  // North East London ICB, the child protection codes that raise EMIS Web's child protection warning.
  nelIcb: 'https://primarycare.northeastlondon.icb.nhs.uk/home/childhealth/child-protection-codes',
  // Yorkshire and Humber Care Record (Interweave), the SNOMED CT part of its Flag type value set.
  interweave:
    'https://github.com/yorkshire-and-humber-care-record/fhir-ig-r4/blob/main/input/fsh/InterweaveCodes/InterweaveCodesFlagType.fsh',
} as const;

export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/**
 * SNOMED CT concepts that make an active Flag a safeguarding concern by default (CONTRACT §5): the four the
 * contract names first, then those UK guidance recommends for child protection, looked-after children, adults at
 * risk and exploitation. Only concept ids checked against a cited source are listed; a deployment extends the
 * list through its config (`safeguardingCodes`) with its safeguarding leads' codes.
 */
export const DEFAULT_SAFEGUARDING_CONCEPTS: SafeguardingConcept[] = [
  { code: '836881000000105', display: 'Child is cause for safeguarding concern', source: 'rcgp' },
  { code: '1064961000000107', display: 'Child in family is safeguarding concern', source: 'rcgp' },
  { code: '878111000000109', display: 'Unborn child is cause for safeguarding concern', source: 'rcgp' },
  { code: '342191000000101', display: 'Subject to child protection plan', source: 'rcgp' },
  { code: '375041000000100', display: 'Family member subject of child protection plan', source: 'rcgp' },
  { code: '818901000000100', display: 'Unborn child subject to child protection plan', source: 'cpis' },
  { code: '764841000000100', display: 'Looked after child', source: 'cpis' },
  { code: '160887007', display: 'Child on protection register', source: 'nelIcb' },
  { code: '1064311000000109', display: 'On child protection plan', source: 'nelIcb' },
  { code: '417430008', display: 'Vulnerable adult', source: 'interweave' },
  { code: '514331000000104', display: 'Adult safeguarding referral', source: 'interweave' },
  { code: '919461000000108', display: 'At risk of sexual exploitation', source: 'interweave' },
  { code: '1188261000000103', display: 'At risk of criminal exploitation', source: 'interweave' },
  { code: '761571000000106', display: 'At risk of financial abuse', source: 'interweave' },
];

export const DEFAULT_SAFEGUARDING_CODES = DEFAULT_SAFEGUARDING_CONCEPTS.map((c) => c.code);

/** The deployment's safeguarding code list: `SAFEGUARDING_CODES` (comma-separated, from the ICB config) or the default. */
export function safeguardingCodes(): string[] {
  const configured = process.env.SAFEGUARDING_CODES;
  return configured
    ? configured
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : DEFAULT_SAFEGUARDING_CODES;
}
