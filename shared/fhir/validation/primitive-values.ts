import { primitivePattern } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';
import { narrativeProblems } from './narrative.ts';

/** FHIR says a string SHALL NOT exceed 1 MB. */
const maxStringBytes = 1024 * 1024;

const integerRanges: Record<string, [number, number]> = {
  integer: [-2147483648, 2147483647],
  positiveInt: [1, 2147483647],
  unsignedInt: [0, 2147483647],
};

const patterns = new Map<string, RegExp>();

function pattern(type: string): RegExp | undefined {
  let regex = patterns.get(type);
  if (!regex) {
    const source = primitivePattern(type);
    if (!source) return undefined;
    regex = new RegExp(`^(?:${source})$`);
    patterns.set(type, regex);
  }
  return regex;
}

/** Whether a date's day exists in its month (the R4 regexes allow 2023-02-31). */
function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return true;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** base64 as RFC 4648 has it, whitespace allowed; R4's own regex leaves out padding rules. */
export function isBase64(value: string): boolean {
  const compact = /\s/.test(value) ? value.replace(/\s+/g, '') : value;
  // A search for one bad character is fast on megabytes of data; a whole-value pattern is slow or overflows.
  if (compact.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(compact)) return false;
  const padding = compact.indexOf('=');
  return padding === -1 || (padding >= compact.length - 2 && /^=+$/.test(compact.slice(padding)));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Checks a primitive value against its FHIR type: the JSON type FHIR JSON uses for it, its regex, and the
 * rules a regex cannot say (calendar dates, integer ranges, base64, narrative XHTML, size).
 */
export function checkPrimitive(value: unknown, type: string, path: string, issues: Issue[]): void {
  const problem = (diagnostics: string, code: Issue['code'] = 'value') =>
    issues.push({ severity: 'error', code, diagnostics, expression: [path] });

  if (type === 'boolean') {
    if (typeof value !== 'boolean') problem(`A boolean must be JSON true or false, not ${describe(value)}`);
    return;
  }
  if (type === 'decimal' || type in integerRanges) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problem(`A ${type} must be a JSON number, not ${describe(value)}`);
      return;
    }
    const range = integerRanges[type];
    if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
      problem(`${value} is not a valid ${type} (a whole number from ${range[0]} to ${range[1]})`);
    }
    return;
  }
  if (typeof value !== 'string') {
    problem(`A ${type} must be a JSON string, not ${describe(value)}`);
    return;
  }
  if (value.length === 0) {
    problem(`A ${type} must not be empty: leave the element out instead`);
    return;
  }
  switch (type) {
    case 'string':
    case 'markdown':
      // The limit is the string type's; base64Binary data may be larger.
      if (value.length > maxStringBytes / 4 && Buffer.byteLength(value) > maxStringBytes) {
        problem(`The value is longer than the maximum of 1 MB (${maxStringBytes} bytes)`, 'too-long');
      } else if (value.trim().length === 0) {
        issues.push({
          severity: 'warning',
          code: 'value',
          diagnostics: 'The value is only whitespace',
          expression: [path],
        });
      }
      return;
    case 'xhtml':
      for (const p of narrativeProblems(value)) problem(p);
      return;
    case 'base64Binary':
      if (!isBase64(value)) problem('The value is not valid base64');
      return;
  }
  const regex = pattern(type);
  if (regex && !regex.test(value)) {
    const shown = value.length > 100 ? `${value.slice(0, 100)}…` : value;
    problem(`'${shown}' is not a valid ${type}`);
    return;
  }
  if ((type === 'date' || type === 'dateTime' || type === 'instant') && !isCalendarDate(value)) {
    problem(`'${value}' is not a valid ${type}: there is no such day`);
  }
}
