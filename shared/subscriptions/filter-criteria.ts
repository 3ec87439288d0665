import { nhsNumberProblem } from '../fhir/nhs-number.ts';
import { isOdsCode } from '../fhir/ods-code.ts';
import { BadRequestError } from '../fhir/operation-outcome.ts';

/**
 * The one filter a subscription narrows its topic with (CONTRACT §5): one patient's events, or the events of
 * every patient registered at one practice.
 */
export type SubscriptionFilter =
  | { kind: 'patient'; nhsNumber: string }
  | { kind: 'general-practitioner'; odsCode: string };

/**
 * Parses a `backport-filter-criteria` value: `patient=Patient/{nhs}` or `general-practitioner={ODS}`, optionally
 * prefixed with a resource type as the backport's examples write it (`Encounter?patient=Patient/{nhs}`).
 * @example parseFilterCriteria('patient=Patient/9000000009') // { kind: 'patient', nhsNumber: '9000000009' }
 */
export function parseFilterCriteria(criteria: string): SubscriptionFilter {
  const query = criteria.trim().replace(/^[A-Z][A-Za-z]*\?/, '');
  const expression = ['Subscription.criteria.extension'];
  const match = /^([a-z-]+)=([^&=]+)$/.exec(query);
  if (!match) {
    throw new BadRequestError(
      `The filter '${criteria}' must be one parameter: patient=Patient/{NHS number} or general-practitioner={ODS code}`,
      'value',
      expression,
    );
  }
  const [, name, raw] = match as unknown as [string, string, string];
  const value = decodeURIComponent(raw);
  if (name === 'patient') {
    const nhsNumber = value.replace(/^Patient\//, '');
    const problem = nhsNumberProblem(nhsNumber);
    if (problem) throw new BadRequestError(`The patient filter: ${problem}`, 'value', expression);
    return { kind: 'patient', nhsNumber };
  }
  if (name === 'general-practitioner') {
    const odsCode = value.replace(/^Organization\//, '');
    if (!isOdsCode(odsCode)) {
      throw new BadRequestError(`'${odsCode}' is not an ODS organisation code`, 'value', expression);
    }
    return { kind: 'general-practitioner', odsCode };
  }
  throw new BadRequestError(
    `Subscriptions filter on patient or general-practitioner, not '${name}'`,
    'not-supported',
    expression,
  );
}

/** The filter as one canonical string, the key subscriptions are indexed and matched by. */
export function filterKey(filter: SubscriptionFilter): string {
  return filter.kind === 'patient'
    ? `patient=Patient/${filter.nhsNumber}`
    : `general-practitioner=${filter.odsCode}`;
}
