import { type BreakGlassFormError, breakGlassReasons, MAX_EXPLANATION } from './break-glass-reasons.ts';
import { spacedNhsNumber } from './fhir-display.ts';
import { type Html, html } from './html.ts';

/**
 * The break-glass page: says plainly that there is no care relationship, what emergency access means (recorded,
 * reported, the patient's objection overridden), and asks for a reason from the list and an explanation.
 */
export function breakGlassPageMain(
  pageUrl: string,
  csrfToken: string,
  organisationName: string,
  nhs: string,
  failed?: { error: BreakGlassFormError; form: URLSearchParams },
): Html {
  const problem = (field: 'reason' | 'explanation') => failed?.error.problems.find((p) => p.field === field);
  const reasonProblem = problem('reason');
  const explanationProblem = problem('explanation');
  return html`${
    failed
      ? html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
<h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
<div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">${failed.error.problems.map(
          (p) =>
            html`<li><a href="#${p.field === 'reason' ? `reason-${breakGlassReasons[0].code}` : 'explanation'}">${p.text}</a></li>`,
        )}</ul></div></div>`
      : ''
  }
<h1>You have no care relationship with this patient</h1>
<p>${organisationName} is not the GP practice of the patient with NHS number ${spacedNhsNumber(nhs)} and has no care recorded with them, so their record is not shown.</p>
<div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Emergency access</span></h2>
<p>Only use emergency access when you need this patient's record to care for them now. It is recorded with your name and reason, your organisation's privacy officer is told, and the patient can ask who has seen their record. It also shows what the patient has asked not to be shared.</p></div>
<form method="post" action="${pageUrl}/break-glass" novalidate>
<input type="hidden" name="csrf" value="${csrfToken}">
<div class="nhsuk-form-group${reasonProblem ? ' nhsuk-form-group--error' : ''}">
<fieldset class="nhsuk-fieldset" aria-describedby="reason-hint${reasonProblem ? ' reason-error' : ''}">
<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m"><h2 class="nhsuk-fieldset__heading">Why do you need emergency access?</h2></legend>
<div class="nhsuk-hint" id="reason-hint">Select one reason.</div>
${reasonProblem ? html`<span class="nhsuk-error-message" id="reason-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${reasonProblem.text}</span>` : ''}
<div class="nhsuk-radios">${breakGlassReasons.map(
    (r) =>
      html`<div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="reason-${r.code}" name="reason" type="radio" value="${r.code}"${failed?.form.get('reason') === r.code ? html` checked` : ''}><label class="nhsuk-label nhsuk-radios__label" for="reason-${r.code}">${r.text}</label></div>`,
  )}</div>
</fieldset>
</div>
<div class="nhsuk-form-group${explanationProblem ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label nhsuk-label--s" for="explanation">Explain why you need it</label>
<div class="nhsuk-hint" id="explanation-hint">This is recorded in the audit trail. Up to ${MAX_EXPLANATION} characters.</div>
${explanationProblem ? html`<span class="nhsuk-error-message" id="explanation-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${explanationProblem.text}</span>` : ''}
<textarea class="nhsuk-textarea${explanationProblem ? ' nhsuk-textarea--error' : ''}" id="explanation" name="explanation" rows="4" maxlength="${MAX_EXPLANATION}" aria-describedby="explanation-hint${explanationProblem ? ' explanation-error' : ''}">${failed?.form.get('explanation') ?? ''}</textarea>
</div>
<button class="nhsuk-button nhsuk-button--warning" type="submit">Open the record for emergency care</button>
</form>`;
}
