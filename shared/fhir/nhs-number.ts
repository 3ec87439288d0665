/** The UK Core identifier system for NHS numbers. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/**
 * True when `value` is a 10-digit NHS number whose last digit passes the Modulus 11 check.
 * Weights 10..2 over the first nine digits; check = 11 - (sum mod 11), 11 → 0, and 10 is never issued.
 * @example isValidNhsNumber('9000000009') // true
 */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

/** Why `value` is not a valid NHS number, or undefined when it is. */
export function nhsNumberProblem(value: string): string | undefined {
  if (!/^\d{10}$/.test(value)) return `'${value}' is not an NHS number: it must be exactly 10 digits`;
  if (!isValidNhsNumber(value))
    return `'${value}' is not a valid NHS number: its check digit fails the Modulus 11 check`;
  return undefined;
}
