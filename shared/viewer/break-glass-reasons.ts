import { BadRequestError } from '../fhir/operation-outcome.ts';

/** The reasons a person may give for emergency access, as NHS break-glass screens offer them. */
export const breakGlassReasons = [
  { code: 'emergency-care', text: 'Emergency care: the patient cannot consent and needs treatment now' },
  {
    code: 'patient-consents',
    text: 'The patient is with me and consents, but no care relationship is recorded yet',
  },
  { code: 'safeguarding', text: 'A safeguarding concern about the patient or someone else' },
  { code: 'public-interest', text: 'Public interest or a legal duty to share' },
  { code: 'other', text: 'Another reason, given below' },
] as const;

/** Room for the person's own words within the API's 1,000-character break-glass reason. */
export const MAX_EXPLANATION = 800;

/** A break-glass form's problems, by field, for the error summary. */
export class BreakGlassFormError extends BadRequestError {
  constructor(readonly problems: { field: 'reason' | 'explanation'; text: string }[]) {
    super(problems.map((p) => p.text).join('; '), 'required');
    this.name = 'BreakGlassFormError';
  }
}

/**
 * The audited break-glass reason from the form: the reason picked from the list and the person's explanation,
 * both required.
 */
export function breakGlassReason(form: URLSearchParams): string {
  const picked = breakGlassReasons.find((r) => r.code === form.get('reason'));
  const explanation = (form.get('explanation') ?? '').trim();
  const problems: BreakGlassFormError['problems'] = [];
  if (!picked) problems.push({ field: 'reason', text: 'Select why you need emergency access' });
  if (!explanation) problems.push({ field: 'explanation', text: 'Explain why you need emergency access' });
  else if (explanation.length > MAX_EXPLANATION)
    problems.push({ field: 'explanation', text: `Explain in ${MAX_EXPLANATION} characters or fewer` });
  if (problems.length || !picked) throw new BreakGlassFormError(problems);
  return `${picked.text}. ${explanation}`;
}
