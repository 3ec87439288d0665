/**
 * What the national services put in a record (issue 18), as their systems send it: UK-ised R4 resources with
 * NHS numbers, ODS codes and dm+d (SNOMED CT) medicine codes. Each names its patient; dates are relative to
 * the test's run where "current" depends on them.
 */

const SNOMED = 'http://snomed.info/sct';
const DMD = 'https://dmd.nhs.uk';
const LOINC = 'http://loinc.org';

/** dm+d virtual medicinal products (SNOMED CT concepts). */
export const AMLODIPINE_5MG = { code: '319283006', display: 'Amlodipine 5mg tablets' };
export const ATORVASTATIN_20MG = { code: '320000009', display: 'Atorvastatin 20mg tablets' };
export const SIMVASTATIN_40MG = { code: '320000008', display: 'Simvastatin 40mg tablets' };

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const patient = (nhs: string) => ({ reference: `Patient/${nhs}` });

/** A GP's record that the patient takes a medicine (`active`), or took it (`stopped`). */
export function medicationStatement(
  nhs: string,
  medicine = AMLODIPINE_5MG,
  status: 'active' | 'stopped' = 'active',
) {
  return {
    resourceType: 'MedicationStatement',
    status,
    medicationCodeableConcept: { coding: [{ system: SNOMED, ...medicine }] },
    subject: patient(nhs),
    effectiveDateTime: daysAgo(400).slice(0, 10),
    dateAsserted: daysAgo(30),
    dosage: [{ text: 'One tablet once a day' }],
  };
}

/** A hospital's prescription (EPS): an active order. */
export function medicationRequest(nhs: string, medicine = AMLODIPINE_5MG) {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: SNOMED, ...medicine }] },
    subject: patient(nhs),
    authoredOn: daysAgo(10),
    requester: { display: 'Dr Amara Okafor, Cardiology' },
    dosageInstruction: [{ text: 'One tablet once a day' }],
    dispenseRequest: { quantity: { value: 28, unit: 'tablet' } },
  };
}

/** A pharmacy's dispensing, of a Medication it contains, coded in dm+d's own system. */
export function medicationDispense(nhs: string, medicine = AMLODIPINE_5MG, handedOverDaysAgo = 5) {
  return {
    resourceType: 'MedicationDispense',
    contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [{ system: DMD, ...medicine }] } }],
    status: 'completed',
    medicationReference: { reference: '#med' },
    subject: patient(nhs),
    quantity: { value: 28, unit: 'tablet' },
    daysSupply: { value: 28, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' },
    whenHandedOver: daysAgo(handedOverDaysAgo),
  };
}

/** A referral (e-RS) from the practice to an organisation: active, naming it as `performer`. */
export function referral(nhs: string, performerOds: string, requesterOds = 'A81001') {
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] }],
    code: { coding: [{ system: SNOMED, code: '183519002', display: 'Referral to cardiology service' }] },
    subject: patient(nhs),
    authoredOn: daysAgo(2),
    requester: { reference: `Organization/${requesterOds}` },
    performer: [{ reference: `Organization/${performerOds}` }],
  };
}

/** An appointment booked from a referral. */
export function appointment(nhs: string, basedOn?: string, status: 'booked' | 'cancelled' = 'booked') {
  return {
    resourceType: 'Appointment',
    status,
    ...(status === 'cancelled' ? { cancelationReason: { text: 'Patient request' } } : {}),
    serviceType: [{ coding: [{ system: SNOMED, code: '310169002', display: 'Cardiology service' }] }],
    description: 'First outpatient appointment, cardiology',
    start: '2027-01-12T09:30:00Z',
    end: '2027-01-12T09:50:00Z',
    ...(basedOn ? { basedOn: [{ reference: basedOn }] } : {}),
    participant: [
      { actor: { reference: `Patient/${nhs}` }, status: 'accepted' },
      { actor: { display: 'Dr Amara Okafor' }, status: 'accepted' },
    ],
  };
}

/** A haemoglobin result, as a pathology system sends it with its report. */
export function haemoglobin(nhs: string) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: { coding: [{ system: SNOMED, code: '1022431000000105', display: 'Haemoglobin estimation' }] },
    subject: patient(nhs),
    effectiveDateTime: daysAgo(3),
    valueQuantity: { value: 128, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
  };
}

/** A full blood count report with its results. */
export function bloodCountReport(nhs: string, results: string[]) {
  return {
    resourceType: 'DiagnosticReport',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'HM' }] }],
    code: { coding: [{ system: SNOMED, code: '26604007', display: 'Full blood count' }] },
    subject: patient(nhs),
    effectiveDateTime: daysAgo(3),
    issued: daysAgo(2),
    ...(results.length ? { result: results.map((reference) => ({ reference })) } : {}),
    conclusion: 'Normal full blood count',
  };
}

/** A discharge summary (a structured letter) whose sections reference the record's resources. */
export function dischargeSummary(nhs: string, medications: string[], authorOds = 'RX1') {
  return {
    resourceType: 'Composition',
    status: 'final',
    type: { coding: [{ system: LOINC, code: '18842-5', display: 'Discharge summary' }] },
    subject: patient(nhs),
    date: daysAgo(1),
    author: [{ reference: `Organization/${authorOds}` }],
    title: 'Discharge summary',
    section: [
      {
        title: 'Medications on discharge',
        code: { coding: [{ system: LOINC, code: '10183-2', display: 'Hospital discharge medications' }] },
        // A section holds entries or text (cmp-1): with no medication to list, it says so.
        ...(medications.length
          ? { entry: medications.map((reference) => ({ reference })) }
          : {
              text: {
                status: 'generated',
                div: '<div xmlns="http://www.w3.org/1999/xhtml">No medicines on discharge.</div>',
              },
            }),
      },
      {
        title: 'Clinical summary',
        text: {
          status: 'generated',
          div: '<div xmlns="http://www.w3.org/1999/xhtml">Admitted with chest pain; ACS excluded.</div>',
        },
      },
    ],
  };
}

/** A carer: the patient's daughter. */
export function carer(nhs: string) {
  return {
    resourceType: 'RelatedPerson',
    active: true,
    patient: patient(nhs),
    relationship: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU', display: 'daughter' },
        ],
        text: 'Daughter, main carer',
      },
    ],
    name: [{ use: 'official', family: 'Testpatient', given: ['Sam'] }],
    telecom: [{ system: 'phone', value: '07700 900123', use: 'mobile' }],
  };
}

/** A care team with the practitioner named on it, contained. */
export function careTeam(nhs: string) {
  return {
    resourceType: 'CareTeam',
    contained: [
      {
        resourceType: 'Practitioner',
        id: 'gp1',
        identifier: [{ system: 'https://fhir.hl7.org.uk/Id/gmc-number', value: 'G1234567' }],
        name: [{ family: 'Patel', given: ['Priya'], prefix: ['Dr'] }],
      },
    ],
    status: 'active',
    name: 'Heart failure multidisciplinary team',
    subject: patient(nhs),
    participant: [
      {
        role: [{ coding: [{ system: SNOMED, code: '62247001', display: 'General practitioner' }] }],
        member: { reference: '#gp1' },
        onBehalfOf: { reference: 'Organization/A81001' },
      },
    ],
  };
}
