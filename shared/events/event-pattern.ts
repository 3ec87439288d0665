import type { EventPattern } from '../service/events.ts';

/*
 * EventBridge's matching rules, as AWS documents them and its open-source engine (aws/event-ruler) runs them:
 * - a pattern field with an array is a leaf: the event matches when any matcher in it matches;
 * - a pattern field with an object is nested: each of its fields must match at the same depth of the event;
 * - an event array contributes each of its elements: leaves match if any element does, and a nested pattern
 *   must be satisfied within one element, never by fields picked from different elements;
 * - only leaves exist: an object or an empty array in the event has no value for a leaf matcher to see.
 */

type JsonObject = Record<string, unknown>;

const STRING_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;
type StringOperator = (typeof STRING_OPERATORS)[number];

const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='];

/**
 * True when `event` matches `pattern` under EventBridge's rules: exact values, `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`, `anything-but`, `numeric`, `exists`, `cidr`, and `$or` at any level.
 * It never throws, even on a pattern AWS would refuse; check patterns with `validateEventPattern` first.
 * @example matchesEventPattern({ detail: { class: ['IMP'] } }, { detail: { class: 'IMP' } }) // true
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return isObject(pattern) && isObject(event) && matchesObject(pattern, event);
}

/**
 * The reasons AWS would refuse `pattern` as a rule's event pattern; empty when it is valid.
 * Each problem names the field path it concerns.
 * @example validateEventPattern({ source: 'shared-care-record' }) // ['source: must be an array of ...']
 */
export function validateEventPattern(pattern: EventPattern): string[] {
  const problems: string[] = [];
  if (!isObject(pattern)) problems.push('the pattern must be a JSON object');
  else checkObject(pattern, '', problems);
  return problems;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesObject(pattern: JsonObject, event: JsonObject): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    if (field === '$or' && Array.isArray(rule)) {
      return rule.some((branch) => isObject(branch) && matchesObject(branch, event));
    }
    const present = Object.hasOwn(event, field);
    const value = present ? event[field] : undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule, present ? leafValues(value) : []);
    if (isObject(rule)) return nestedCandidates(value).some((candidate) => matchesObject(rule, candidate));
    return false;
  });
}

/** The leaf values an event field offers: arrays (at any depth) are spread, objects are not leaves. */
function leafValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return isObject(value) ? [] : [value];
}

/** The objects a nested pattern is tried against; with none, an empty one, where `exists: false` holds. */
function nestedCandidates(value: unknown): JsonObject[] {
  const spread = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  const objects = spread.filter(isObject);
  return objects.length > 0 ? objects : [{}];
}

function matchesLeaf(matchers: unknown[], values: unknown[]): boolean {
  return matchers.some((matcher) => {
    if (!isObject(matcher)) return values.some((value) => value === matcher);
    const [operator, operand] = onlyEntry(matcher) ?? [];
    if (operator === 'exists') return operand === true ? values.length > 0 : values.length === 0;
    return values.some((value) => matchesOperator(operator, operand, value));
  });
}

function onlyEntry(matcher: JsonObject): [string, unknown] | undefined {
  const entries = Object.entries(matcher);
  return entries.length === 1 ? entries[0] : undefined;
}

function matchesOperator(operator: string | undefined, operand: unknown, value: unknown): boolean {
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof value === 'string' && matchesString(operator, operand, value);
    case 'anything-but':
      return !excludedBy(operand, value);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && inNumericRange(operand, value);
    case 'cidr':
      return typeof value === 'string' && typeof operand === 'string' && inCidr(operand, value);
    default:
      return false;
  }
}

function matchesString(operator: StringOperator, operand: unknown, value: string): boolean {
  const ignoringCase = isObject(operand) && typeof operand['equals-ignore-case'] === 'string';
  const wanted = ignoringCase ? operand['equals-ignore-case'] : operand;
  if (typeof wanted !== 'string') return false;
  const [subject, target] = ignoringCase ? [foldCase(value), foldCase(wanted)] : [value, wanted];
  switch (operator) {
    case 'prefix':
      return subject.startsWith(target);
    case 'suffix':
      return subject.endsWith(target);
    case 'equals-ignore-case':
      return foldCase(value) === foldCase(wanted);
    case 'wildcard':
      return wildcardRegExp(wanted).test(value);
  }
}

function foldCase(text: string): string {
  return text.toLowerCase();
}

/**
 * Whether `anything-but` excludes `value`. Its string forms (`prefix`, `suffix`, ...) only exclude strings,
 * so a number or null still passes them, as tests recorded against AWS show. An operand AWS would reject
 * excludes everything, so an invalid rule stays silent rather than matching every event.
 */
function excludedBy(operand: unknown, value: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((excluded) => excluded === value);
  if (!isObject(operand)) return operand === value;
  const [operator, inner] = onlyEntry(operand) ?? [];
  if (!isStringOperator(operator)) return true;
  if (typeof value !== 'string') return false;
  const excluded = Array.isArray(inner) ? inner : [inner];
  return excluded.some((each) => matchesString(operator, each, value));
}

function isStringOperator(operator: string | undefined): operator is StringOperator {
  return (STRING_OPERATORS as readonly (string | undefined)[]).includes(operator);
}

/** `numeric` takes operator/number pairs, all of which must hold: `[">", 0, "<=", 5]`. */
function inNumericRange(conditions: unknown[], value: number): boolean {
  if (conditions.length === 0 || conditions.length % 2 !== 0) return false;
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1];
    if (typeof bound !== 'number' || !compares(conditions[i], value, bound)) return false;
  }
  return true;
}

function compares(operator: unknown, value: number, bound: number): boolean {
  switch (operator) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    default:
      return false;
  }
}

const wildcardCache = new Map<string, RegExp>();

/** `*` stands for any run of characters (including none); `\*` is a literal star and `\\` a backslash. */
function wildcardRegExp(wildcard: string): RegExp {
  const cached = wildcardCache.get(wildcard);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard.charAt(i);
    const next = wildcard.charAt(i + 1);
    if (char === '\\' && (next === '*' || next === '\\')) {
      source += escapeRegExp(next);
      i++;
    } else {
      source += char === '*' ? '.*' : escapeRegExp(char);
    }
  }
  const compiled = new RegExp(`^${source}$`, 's');
  wildcardCache.set(wildcard, compiled);
  return compiled;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface IpAddress {
  bits: 32 | 128;
  value: bigint;
}

interface Cidr extends IpAddress {
  prefixLength: number;
}

function inCidr(cidr: string, value: string): boolean {
  const network = parseCidr(cidr);
  const address = parseIp(value);
  if (!network || !address || network.bits !== address.bits) return false;
  const hostBits = BigInt(network.bits - network.prefixLength);
  return address.value >> hostBits === network.value >> hostBits;
}

function parseCidr(cidr: string): Cidr | undefined {
  const parts = cidr.split('/');
  if (parts.length !== 2 || !/^\d{1,3}$/.test(parts[1] ?? '')) return undefined;
  const address = parseIp(parts[0] ?? '');
  const prefixLength = Number(parts[1]);
  if (!address || prefixLength > address.bits) return undefined;
  return { ...address, prefixLength };
}

function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { bits: 128, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { bits: 32, value };
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = ipv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? ipv6Groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** The 16-bit groups of one side of an IPv6 address; a trailing dotted IPv4 address counts as two. */
function ipv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [index, part] of parts.entries()) {
    if (index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function checkObject(pattern: JsonObject, path: string, problems: string[]): void {
  for (const [field, rule] of Object.entries(pattern)) {
    const at = path ? `${path}.${field}` : field;
    if (field === '$or') checkOr(rule, at, problems);
    else if (Array.isArray(rule)) checkLeaf(rule, at, problems);
    else if (isObject(rule)) checkObject(rule, at, problems);
    else problems.push(`${at}: must be an array of matchers or a nested pattern object`);
  }
}

function checkOr(rule: unknown, at: string, problems: string[]): void {
  if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject)) {
    problems.push(`${at}: must be an array of at least two pattern objects`);
    return;
  }
  for (const [index, branch] of rule.entries()) checkObject(branch, `${at}[${index}]`, problems);
}

function checkLeaf(matchers: unknown[], at: string, problems: string[]): void {
  if (matchers.length === 0) problems.push(`${at}: empty arrays are not allowed`);
  for (const matcher of matchers) {
    const problem = matcherProblem(matcher);
    if (problem) problems.push(`${at}: ${problem}`);
  }
}

function matcherProblem(matcher: unknown): string | undefined {
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'boolean') return undefined;
  if (typeof matcher === 'number') return Number.isFinite(matcher) ? undefined : 'numbers must be finite';
  if (!isObject(matcher)) return 'a matcher must be a string, number, boolean, null or operator object';
  const entry = onlyEntry(matcher);
  if (!entry) return 'a matcher object must hold exactly one operator';
  const [operator, operand] = entry;
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return typeof operand === 'string' || ignoreCaseOperand(operand)
        ? undefined
        : `${operator} takes a string or {"equals-ignore-case": string}`;
    case 'equals-ignore-case':
      return typeof operand === 'string' ? undefined : 'equals-ignore-case takes a string';
    case 'wildcard':
      return typeof operand === 'string' ? wildcardProblem(operand) : 'wildcard takes a string';
    case 'anything-but':
      return anythingButProblem(operand);
    case 'numeric':
      return numericProblem(operand);
    case 'exists':
      return typeof operand === 'boolean' ? undefined : 'exists takes true or false';
    case 'cidr':
      return typeof operand === 'string' && parseCidr(operand)
        ? undefined
        : `cidr takes an IPv4 or IPv6 network such as "10.0.0.0/24", not ${JSON.stringify(operand)}`;
    default:
      return `unknown operator '${operator}'`;
  }
}

function ignoreCaseOperand(operand: unknown): boolean {
  const entry = isObject(operand) ? onlyEntry(operand) : undefined;
  return entry?.[0] === 'equals-ignore-case' && typeof entry[1] === 'string';
}

function anythingButProblem(operand: unknown): string | undefined {
  if (typeof operand === 'string') return undefined;
  if (typeof operand === 'number') return Number.isFinite(operand) ? undefined : 'numbers must be finite';
  if (Array.isArray(operand)) {
    if (operand.length === 0) return 'anything-but takes a non-empty list';
    const allStrings = operand.every((each) => typeof each === 'string');
    const allNumbers = operand.every((each) => typeof each === 'number' && Number.isFinite(each));
    return allStrings || allNumbers
      ? undefined
      : 'an anything-but list must hold only strings or only numbers';
  }
  const entry = isObject(operand) ? onlyEntry(operand) : undefined;
  if (!entry || !isStringOperator(entry[0])) {
    return 'anything-but takes strings, numbers or a prefix/suffix/equals-ignore-case/wildcard object';
  }
  const [operator, inner] = entry;
  const values = Array.isArray(inner) ? inner : [inner];
  if (values.length === 0 || !values.every((each) => typeof each === 'string')) {
    return `anything-but ${operator} takes a string or a non-empty list of strings`;
  }
  if ((operator === 'prefix' || operator === 'suffix') && values.includes('')) {
    return `anything-but ${operator} must not be empty`;
  }
  return operator === 'wildcard' ? values.map(wildcardProblem).find(Boolean) : undefined;
}

function numericProblem(operand: unknown): string | undefined {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    return 'numeric takes one comparison ["<", 10] or a range [">", 0, "<=", 5]';
  }
  for (let i = 0; i < operand.length; i += 2) {
    if (!NUMERIC_OPERATORS.includes(operand[i]))
      return `numeric operator ${JSON.stringify(operand[i])} is unknown`;
    const bound = operand[i + 1];
    if (typeof bound !== 'number' || !Number.isFinite(bound)) return `numeric ${operand[i]} needs a number`;
  }
  if (operand.length === 4) {
    const [low, bottom, high, top] = operand as [string, number, string, number];
    if (!['>', '>='].includes(low) || !['<', '<='].includes(high)) {
      return 'a numeric range is a lower bound (">" or ">=") followed by an upper bound ("<" or "<=")';
    }
    if (bottom >= top) return 'a numeric range needs its lower bound below its upper bound';
  }
  return undefined;
}

function wildcardProblem(wildcard: string): string | undefined {
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard.charAt(i);
    if (char === '\\') {
      if (!['*', '\\'].includes(wildcard.charAt(i + 1)))
        return 'in a wildcard, a backslash may only escape * or \\';
      i++;
    } else if (char === '*' && wildcard.charAt(i + 1) === '*') {
      return 'a wildcard must not hold consecutive * characters';
    }
  }
  return undefined;
}
