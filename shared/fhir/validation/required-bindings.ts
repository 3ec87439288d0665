import { valueSetCodes } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';

type Codes = Map<string, Set<string>>;

const expansions = new Map<string, Codes>();

function codesOf(valueSet: string): Codes | undefined {
  let codes = expansions.get(valueSet);
  if (!codes) {
    const compiled = valueSetCodes(valueSet);
    if (!compiled) return undefined;
    codes = new Map(Object.entries(compiled).map(([system, list]) => [system, new Set(list)]));
    expansions.set(valueSet, codes);
  }
  return codes;
}

function listed(codes: Codes): string {
  const all = [...codes.values()].flatMap((s) => [...s]);
  return all.length <= 12 ? ` (${all.join(', ')})` : '';
}

interface Coding {
  system?: unknown;
  code?: unknown;
}

function inValueSet(codes: Codes, coding: Coding): boolean {
  return typeof coding.system === 'string' && codes.get(coding.system)?.has(coding.code as string) === true;
}

/**
 * Checks a value bound to a value set with strength `required`: a code must be one of its codes, a Coding one of
 * its system and code pairs, and a CodeableConcept must have at least one such Coding.
 */
export function checkRequiredBinding(
  value: unknown,
  type: string,
  valueSet: string,
  path: string,
  issues: Issue[],
) {
  const codes = codesOf(valueSet);
  if (!codes || value === undefined || value === null) return;
  const refuse = (diagnostics: string) =>
    issues.push({ severity: 'error', code: 'code-invalid', diagnostics, expression: [path] });

  if (type === 'Coding') {
    const coding = value as Coding;
    if (coding.code !== undefined && !inValueSet(codes, coding)) {
      refuse(
        `The Coding ${String(coding.system ?? '(no system)')}#${String(coding.code)} is not in the required value set ${valueSet}${listed(codes)}`,
      );
    }
    return;
  }
  if (type === 'CodeableConcept') {
    const codings = (value as { coding?: unknown }).coding;
    const list = Array.isArray(codings) ? (codings as Coding[]) : [];
    if (!list.some((c) => c && inValueSet(codes, c))) {
      refuse(`No coding is from the required value set ${valueSet}${listed(codes)}`);
    }
    return;
  }
  if (typeof value !== 'string') return;
  for (const system of codes.values()) if (system.has(value)) return;
  refuse(`'${value}' is not a code of the required value set ${valueSet}${listed(codes)}`);
}
