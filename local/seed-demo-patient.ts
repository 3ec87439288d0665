import { createHash } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import type { Caller } from '#shared/access/access-token';
import type { OrganisationRole } from '#shared/access/supplier-client';
import { NHS_NUMBER_SYSTEM } from '#shared/fhir/nhs-number';
import { planCreate } from '#shared/interactions/write';
import { commitPlans } from '#shared/interactions/write-plan';
import { readCurrent } from '#shared/record/record-store';
import { patientPartition } from '#shared/service/table-design';
import { demoOrganisations } from './demo-organisations.ts';

/** The viewer's demo patient (an NHS England test-range number): a record the whole region has added to. */
import { DEMO_PATIENT } from './demo-patient.ts';

export { DEMO_PATIENT };

const SNOMED = 'http://snomed.info/sct';
const snomed = (code: string, display: string) => ({
  coding: [{ system: SNOMED, code, display }],
  text: display,
});
const subject = { reference: `Patient/${DEMO_PATIENT}` };
// Visits at home (district nursing, social care) and what they record about how the patient lives.
const HOME_HEALTH = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'HH',
  display: 'home health',
};
const SOCIAL_HISTORY = [
  {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history' },
    ],
  },
];
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const DISCHARGE_LETTER = `Northbridge University Hospitals NHS Trust: discharge summary
Patient: Margaret OAKLEY, NHS number 900 000 0092
Admitted with community-acquired pneumonia; treated with intravenous then oral antibiotics.
Penicillin allergy noted: clarithromycin given. Discharged home with community nursing follow-up.
`;

function document(text: string) {
  const bytes = Buffer.from(text);
  return {
    contentType: 'text/plain',
    data: bytes.toString('base64'),
    size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'),
    title: 'Discharge summary',
  };
}

/** What each organisation of the region recorded, in the order it happened. */
function contributions(): [OrganisationRole, Record<string, unknown>][] {
  return [
    [
      'gp',
      {
        resourceType: 'AllergyIntolerance',
        patient: subject,
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
          ],
        },
        verificationStatus: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
              code: 'confirmed',
            },
          ],
        },
        criticality: 'high',
        code: snomed('91936005', 'Allergy to penicillin'),
        reaction: [
          { manifestation: [snomed('271807003', 'Skin rash')] },
          { manifestation: [snomed('267036007', 'Shortness of breath')] },
        ],
        recordedDate: '2009-06-02',
      },
    ],
    [
      'gp',
      {
        resourceType: 'Condition',
        subject,
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
        },
        code: snomed('44054006', 'Type 2 diabetes mellitus'),
        onsetDateTime: '2014-03-11',
      },
    ],
    [
      'gp',
      {
        resourceType: 'Condition',
        subject,
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
        },
        code: snomed('38341003', 'Hypertension'),
        onsetDateTime: '2011-09-20',
      },
    ],
    [
      'gp',
      {
        resourceType: 'MedicationStatement',
        subject,
        status: 'active',
        medicationCodeableConcept: snomed('325278002', 'Metformin 500mg modified-release tablets'),
        dosage: [{ text: 'Two tablets once a day with the evening meal' }],
        effectivePeriod: { start: '2014-03-18' },
      },
    ],
    [
      'gp',
      {
        resourceType: 'MedicationStatement',
        subject,
        status: 'active',
        medicationCodeableConcept: snomed('318908005', 'Ramipril 5mg capsules'),
        dosage: [{ text: 'One capsule once a day' }],
        effectivePeriod: { start: '2011-10-01' },
      },
    ],
    [
      'gp',
      {
        resourceType: 'Immunization',
        patient: subject,
        status: 'completed',
        vaccineCode: snomed('1119351000000105', 'Influenza vaccine'),
        occurrenceDateTime: daysAgo(120),
      },
    ],
    [
      'gp',
      {
        resourceType: 'Observation',
        subject,
        status: 'final',
        code: snomed('75367002', 'Blood pressure'),
        valueString: '138/84 mmHg',
        effectiveDateTime: daysAgo(60),
      },
    ],
    [
      'acute',
      {
        resourceType: 'Encounter',
        subject,
        status: 'finished',
        class: {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
          code: 'IMP',
          display: 'inpatient encounter',
        },
        type: [snomed('183452005', 'Emergency hospital admission')],
        reasonCode: [snomed('385093006', 'Community acquired pneumonia')],
        period: { start: `${daysAgo(21)}T14:20:00Z`, end: `${daysAgo(14)}T11:00:00Z` },
      },
    ],
    [
      'acute',
      {
        resourceType: 'Procedure',
        subject,
        status: 'completed',
        code: snomed('399208008', 'Plain chest X-ray'),
        performedDateTime: `${daysAgo(21)}T16:05:00Z`,
      },
    ],
    [
      'acute',
      {
        resourceType: 'DocumentReference',
        subject,
        status: 'current',
        type: snomed('823701000000103', 'Discharge summary'),
        date: `${daysAgo(14)}T11:30:00Z`,
        content: [{ attachment: document(DISCHARGE_LETTER) }],
      },
    ],
    [
      'community',
      {
        resourceType: 'Encounter',
        subject,
        status: 'in-progress',
        class: HOME_HEALTH,
        type: [snomed('310031001', 'District nursing service')],
        period: { start: daysAgo(13) },
      },
    ],
    [
      'community',
      {
        resourceType: 'CarePlan',
        subject,
        status: 'active',
        intent: 'plan',
        title: 'District nursing: recovery after pneumonia',
        description: 'Twice-weekly visits for two weeks: observations, inhaler technique, falls risk review.',
        period: { start: daysAgo(13) },
      },
    ],
    [
      'community',
      {
        resourceType: 'Observation',
        subject,
        status: 'final',
        category: SOCIAL_HISTORY,
        code: snomed('105529008', 'Lives alone'),
        effectiveDateTime: daysAgo(12),
      },
    ],
    [
      'social-care',
      {
        resourceType: 'Encounter',
        subject,
        status: 'in-progress',
        class: HOME_HEALTH,
        type: [snomed('409063005', 'Adult social care assessment')],
        period: { start: daysAgo(10) },
      },
    ],
    [
      'social-care',
      {
        resourceType: 'Observation',
        subject,
        status: 'final',
        category: SOCIAL_HISTORY,
        code: snomed('224130005', 'Has an unpaid carer'),
        valueString: 'Son visits at weekends',
        effectiveDateTime: daysAgo(9),
      },
    ],
    [
      'social-care',
      {
        resourceType: 'Flag',
        subject,
        status: 'active',
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/flag-category',
                code: 'safety',
                display: 'Safety',
              },
            ],
          },
        ],
        code: snomed('836881000000105', 'Adult safeguarding concern'),
        period: { start: daysAgo(8) },
      },
    ],
    ...nationalServices(),
  ];
}

const LOINC = 'http://loinc.org';
const dmd = (code: string, display: string) => ({
  coding: [{ system: 'https://dmd.nhs.uk', code, display }],
  text: display,
});

/**
 * What the national services put in her record (issue 18): the hospital's discharge prescription and summary,
 * dispensing by her practice (a dispensing practice), a chest X-ray report, a referral and the appointment
 * booked from it, her carer and her care team. Ramipril is in the GP's statement, the hospital's prescription
 * and the dispensing: `$current-medications` lists it once with three sources.
 */
function nationalServices(): [OrganisationRole, Record<string, unknown>][] {
  return [
    [
      'acute',
      {
        resourceType: 'MedicationRequest',
        subject,
        status: 'active',
        intent: 'order',
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
                code: 'discharge',
              },
            ],
          },
        ],
        medicationCodeableConcept: snomed('318908005', 'Ramipril 5mg capsules'),
        authoredOn: daysAgo(14),
        dosageInstruction: [{ text: 'One capsule once a day' }],
        dispenseRequest: { quantity: { value: 28, unit: 'capsule' } },
      },
    ],
    [
      'acute',
      {
        resourceType: 'MedicationRequest',
        subject,
        status: 'completed',
        intent: 'order',
        medicationCodeableConcept: snomed('323509004', 'Clarithromycin 500mg tablets'),
        authoredOn: daysAgo(21),
        dosageInstruction: [{ text: 'One tablet twice a day for 5 days' }],
      },
    ],
    [
      'gp',
      {
        resourceType: 'MedicationDispense',
        subject,
        status: 'completed',
        medicationCodeableConcept: dmd('318908005', 'Ramipril 5mg capsules'),
        quantity: { value: 28, unit: 'capsule' },
        daysSupply: { value: 28, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' },
        whenHandedOver: daysAgo(6),
      },
    ],
    [
      'acute',
      {
        resourceType: 'DiagnosticReport',
        subject,
        status: 'final',
        category: [snomed('363679005', 'Imaging')],
        code: snomed('399208008', 'Plain chest X-ray'),
        effectiveDateTime: daysAgo(18),
        issued: `${daysAgo(18)}T16:40:00Z`,
        conclusion: 'Right lower lobe consolidation, in keeping with pneumonia.',
      },
    ],
    [
      'acute',
      {
        resourceType: 'Composition',
        subject,
        status: 'final',
        type: { coding: [{ system: LOINC, code: '18842-5', display: 'Discharge summary' }] },
        date: daysAgo(14),
        author: [{ display: 'Dr Amara Okafor, Respiratory Medicine' }],
        title: 'Discharge summary',
        section: [
          {
            title: 'Clinical summary',
            text: {
              status: 'generated',
              div: '<div xmlns="http://www.w3.org/1999/xhtml">Community-acquired pneumonia treated with clarithromycin (penicillin allergy). Discharged home with district nursing follow-up.</div>',
            },
          },
        ],
      },
    ],
    [
      'gp',
      {
        resourceType: 'ServiceRequest',
        subject,
        status: 'active',
        intent: 'order',
        code: snomed('306237005', 'Referral to respiratory medicine service'),
        authoredOn: daysAgo(5),
        performer: [{ reference: 'Organization/RX1' }],
        reasonCode: [snomed('385093006', 'Community acquired pneumonia')],
      },
    ],
    [
      'acute',
      {
        resourceType: 'Appointment',
        status: 'booked',
        serviceType: [snomed('418112009', 'Pulmonary medicine')],
        description: 'Respiratory clinic follow-up after pneumonia',
        start: `${daysAgo(-21)}T10:00:00Z`,
        end: `${daysAgo(-21)}T10:20:00Z`,
        participant: [{ actor: subject, status: 'accepted' }],
      },
    ],
    [
      'social-care',
      {
        resourceType: 'RelatedPerson',
        patient: subject,
        active: true,
        relationship: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
                code: 'SON',
                display: 'natural son',
              },
            ],
            text: 'Son, visits at weekends',
          },
        ],
        name: [{ family: 'Oakley', given: ['David'] }],
        telecom: [{ system: 'phone', value: '07700 900456', use: 'mobile' }],
      },
    ],
    [
      'community',
      {
        resourceType: 'CareTeam',
        subject,
        status: 'active',
        name: 'District nursing team',
        contained: [
          { resourceType: 'Practitioner', id: 'dn1', name: [{ family: 'Hughes', given: ['Alison'] }] },
        ],
        participant: [
          {
            role: [snomed('224571005', 'Community nurse')],
            member: { reference: '#dn1' },
            onBehalfOf: { reference: 'Organization/RX2' },
          },
        ],
      },
    ],
  ];
}

/**
 * Seeds the viewer's demo patient through the record's own write path, each contribution as its organisation's
 * (so each has a care relationship, each entry carries its contributor, and the admission and safeguarding flag
 * raise their events and notice Tasks). Only when the patient is not there yet.
 */
export async function seedDemoPatient(): Promise<void> {
  if (await readCurrent('Patient', DEMO_PATIENT, patientPartition(DEMO_PATIENT))) return;
  const context = (role: OrganisationRole) => {
    const org = demoOrganisations.find((o) => o.role === role) as (typeof demoOrganisations)[number];
    const caller: Caller = { clientId: `sandbox-${role}`, odsCode: org.odsCode, role, scopes: org.scopes };
    return {
      caller,
      purpose: { code: 'TREAT' as const },
      fhirBase: `${process.env.PUBLIC_BASE_URL}/FHIR/R4`,
    };
  };
  const patient = {
    resourceType: 'Patient',
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: DEMO_PATIENT }],
    name: [{ use: 'official', family: 'Oakley', given: ['Margaret', 'Rose'] }],
    gender: 'female',
    birthDate: '1947-08-19',
    address: [{ line: ['14 Mill Lane'], city: 'Northbridge', postalCode: 'NB1 4QT' }],
    generalPractitioner: [{ reference: `Organization/${demoOrganisations[0]?.odsCode}` }],
  };
  for (const [role, body] of [
    ['gp', patient] as [OrganisationRole, Record<string, unknown>],
    ...contributions(),
  ]) {
    const ctx = context(role);
    const plan = await planCreate(body.resourceType as Resource['resourceType'], body, ctx);
    await commitPlans([plan], ctx);
  }
}
