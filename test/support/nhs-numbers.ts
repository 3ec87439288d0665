import { rememberPatientDetail } from './test-patients.ts';

/** A random NHS number that passes the Modulus 11 check, in the 999 range not issued to real people. */
export function newNhsNumber(): string {
  for (;;) {
    const digits = `999${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    const nhs = `${digits}${check === 11 ? 0 : check}`;
    rememberPatientDetail(nhs);
    return nhs;
  }
}

/** The same number with a wrong check digit. */
export function withWrongCheckDigit(nhs: string): string {
  return `${nhs.slice(0, 9)}${(Number(nhs[9]) + 1) % 10}`;
}
