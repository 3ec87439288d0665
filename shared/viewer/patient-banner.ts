import type { Patient } from '@medplum/fhirtypes';
import { registeredPracticeOf } from '../record/registered-practice.ts';
import { ageInYears, displayDate, displayName, spacedNhsNumber } from './fhir-display.ts';
import { type Html, html } from './html.ts';

/**
 * The patient banner, always in view: name, NHS number (3 3 4), date of birth and age, gender and registered
 * practice, as NHS clinical systems show a patient.
 */
export function patientBanner(
  patient: Patient,
  organisations: Map<string, string>,
  today = new Date(),
): Html {
  const nhs = patient.id as string;
  const age = patient.birthDate ? ageInYears(patient.birthDate, today) : undefined;
  const practice = registeredPracticeOf(patient);
  const item = (label: string, value: string | undefined) =>
    html`<div><dt>${label}</dt><dd>${value ?? 'Not recorded'}</dd></div>`;
  return html`<section class="scr-banner" aria-label="Patient">
<div class="nhsuk-width-container">
<p class="scr-banner__name">${displayName(patient.name) ?? 'Name not recorded'}</p>
<dl>
${item('NHS number', spacedNhsNumber(nhs))}
${item('Born', patient.birthDate ? `${displayDate(patient.birthDate)}${age !== undefined ? ` (${age} years)` : ''}` : undefined)}
${item('Gender', patient.gender ? patient.gender[0]?.toUpperCase() + patient.gender.slice(1) : undefined)}
${item('GP practice', practice ? (organisations.get(practice) ?? practice) : undefined)}
</dl>
</div>
</section>`;
}
