/** The UK Core identifier system for ODS organisation codes. */
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/**
 * True when `value` has the shape of an ODS organisation code: 3 to 10 upper-case letters and digits
 * (practices like `A12345`, trusts like `RR8`, sites like `RR813`, others like `8JT17`).
 */
export function isOdsCode(value: string): boolean {
  return /^[A-Z0-9]{3,10}$/.test(value);
}
