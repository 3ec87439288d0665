/** SNOMED CT concepts that make an active Flag a safeguarding concern by default (CONTRACT §5). */
export const DEFAULT_SAFEGUARDING_CODES = [
  '836881000000105',
  '1064961000000107',
  '878111000000109',
  '342191000000101',
];

export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** The deployment's safeguarding code list: `SAFEGUARDING_CODES` (comma-separated, from the ICB config) or the default. */
export function safeguardingCodes(): string[] {
  const configured = process.env.SAFEGUARDING_CODES;
  return configured
    ? configured
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : DEFAULT_SAFEGUARDING_CODES;
}
