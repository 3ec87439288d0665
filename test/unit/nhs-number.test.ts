import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsNumberProblem } from '#shared/fhir/nhs-number';
import { newNhsNumber, withCheckDigit, withWrongCheckDigit } from '../support/nhs-numbers.ts';

// Worked by hand from the NHS Data Dictionary's Modulus 11 algorithm (weights 10..2 over the first nine digits,
// check = 11 - (sum mod 11), 11 becomes 0, 10 means the number is never issued):
//   4010232137 (the Data Dictionary's own example): 40+0+8+0+12+15+8+3+6 = 92; 92 mod 11 = 4; 11-4 = 7
//   9000000009 and 9000000017 (NHS England sandbox patients): 90 → 2 → 9; 90+2 = 92 → 4 → 7
//   9990000018: 90+81+72+2 = 245; 245 mod 11 = 3; 11-3 = 8
//   2000000010: 20+2 = 22; 22 mod 11 = 0; 11 → 0
//   100000001x: 10+2 = 12; 12 mod 11 = 1; 11-1 = 10: no check digit is valid
const VALID = ['4010232137', '9000000009', '9000000017', '9990000018', '2000000010'];
const WRONG_CHECK_DIGIT = ['4010232136', '9000000008', '9000000019', '9990000010', '2000000011'];
const NEVER_ISSUED = ['1000000010', '1000000011', '1000000019'];
const NOT_TEN_DIGITS = ['900000000', '90000000099', '900000000a', ' 9000000009', '900 000 0009', ''];

describe('isValidNhsNumber', () => {
  it.each(VALID)('accepts %s', (nhs) => {
    expect(isValidNhsNumber(nhs)).toBe(true);
    expect(nhsNumberProblem(nhs)).toBeUndefined();
  });

  it.each(WRONG_CHECK_DIGIT)('refuses %s: its check digit fails', (nhs) => {
    expect(isValidNhsNumber(nhs)).toBe(false);
    expect(nhsNumberProblem(nhs)).toContain('Modulus 11');
  });

  it.each(NEVER_ISSUED)('refuses %s: its check digit would be 10', (nhs) => {
    expect(isValidNhsNumber(nhs)).toBe(false);
  });

  it.each(NOT_TEN_DIGITS)("refuses '%s': not exactly 10 digits", (value) => {
    expect(isValidNhsNumber(value)).toBe(false);
    expect(nhsNumberProblem(value)).toContain('exactly 10 digits');
  });
});

describe("the tests' NHS number generator", () => {
  it('gives the hand-worked check digits', () => {
    expect(VALID.map((nhs) => withCheckDigit(nhs.slice(0, 9)))).toEqual(VALID);
    expect(withCheckDigit('100000001')).toBeUndefined();
  });

  it('makes numbers in the 999 range that the service accepts, and wrong-digit twins it refuses', () => {
    const nhs = newNhsNumber();
    expect(nhs).toMatch(/^999\d{7}$/);
    expect(isValidNhsNumber(nhs)).toBe(true);
    expect(isValidNhsNumber(withWrongCheckDigit(nhs))).toBe(false);
  });
});
