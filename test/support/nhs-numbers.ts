import { rememberPatientDetail } from './test-patients.ts';

/**
 * The Modulus 11 check digit for nine digits (weights 10 to 2; 11 - remainder, 11 → 0), or undefined when it
 * would be 10 (never issued). Written here rather than taken from shared/ so the test data does not lean on the
 * code under test; test/unit/nhs-number.test.ts pins both to hand-worked examples.
 */
export function withCheckDigit(nineDigits: string): string | undefined {
  const sum = [...nineDigits].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? undefined : `${nineDigits}${check}`;
}

/** A random valid NHS number in the 999 range, not issued to real people; noted for the log audit. */
export function newNhsNumber(): string {
  for (;;) {
    const nhs = withCheckDigit(`999${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`);
    if (!nhs) continue;
    rememberPatientDetail(nhs);
    return nhs;
  }
}

/** The same number with a wrong check digit. */
export function withWrongCheckDigit(nhs: string): string {
  return `${nhs.slice(0, 9)}${(Number(nhs[9]) + 1) % 10}`;
}
