import { describe, expect, it } from 'vitest';
import { matchesEventPattern, validateEventPattern } from '#shared/events/event-pattern';
import type { EventPattern } from '#shared/service/events';

/** An event as EventBridge delivers it when the record service announces an inpatient admission. */
const admitted = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'Encounter.Admitted',
  source: 'shared-care-record',
  account: '123456789012',
  time: '2025-03-14T09:30:00Z',
  region: 'eu-west-2',
  resources: ['Encounter/enc-1', 'Patient/9000000009'],
  detail: { patient: 'Patient/9000000009', class: 'IMP', ward: 'Ward 7', contributor: 'RX1' },
};

const safeguardingRaised = {
  ...admitted,
  'detail-type': 'Flag.SafeguardingRaised',
  resources: ['Flag/flag-1'],
  detail: { patient: 'Patient/9000000009', category: 'safeguarding' },
};

interface MatchCase {
  name: string;
  pattern: EventPattern;
  event: unknown;
  expected: boolean;
}

const matchCases: MatchCase[] = [
  // Exact values, structure and arrays ("Creating event patterns", "Arrays in event patterns").
  {
    name: 'exact values on source and detail-type match',
    pattern: { source: ['shared-care-record'], 'detail-type': ['Encounter.Admitted'] },
    event: admitted,
    expected: true,
  },
  {
    name: 'a leaf matches when the event equals any listed value',
    pattern: { 'detail-type': ['Encounter.Discharged', 'Encounter.Admitted'] },
    event: admitted,
    expected: true,
  },
  {
    name: 'a leaf fails when the event equals none of the listed values',
    pattern: { 'detail-type': ['Encounter.Admitted'] },
    event: safeguardingRaised,
    expected: false,
  },
  {
    name: 'exact matching is case-sensitive',
    pattern: { 'detail-type': ['encounter.admitted'] },
    event: admitted,
    expected: false,
  },
  {
    name: 'event fields the pattern does not name are ignored',
    pattern: { detail: { class: ['IMP'] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'every field the pattern names must match',
    pattern: { source: ['shared-care-record'], detail: { class: ['EMER'] } },
    event: admitted,
    expected: false,
  },
  {
    name: 'nested pattern objects match nested event objects',
    pattern: { detail: { patient: ['Patient/9000000009'], class: ['IMP'] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'a field must sit at the same depth in the event as in the pattern',
    pattern: { detail: { class: ['IMP'] } },
    event: { class: 'IMP' },
    expected: false,
  },
  {
    name: 'a field missing from the event fails an exact match',
    pattern: { detail: { ward: ['Ward 7'] } },
    event: safeguardingRaised,
    expected: false,
  },
  {
    name: 'an event array matches when any element equals a listed value',
    pattern: { resources: ['Patient/9000000009', 'Patient/9000000017'] },
    event: admitted,
    expected: true,
  },
  {
    name: 'an event array fails when no element equals a listed value',
    pattern: { resources: ['Patient/9000000017'] },
    event: admitted,
    expected: false,
  },
  {
    name: 'an empty event array offers no value, not even null',
    pattern: { resources: [null] },
    event: { ...admitted, resources: [] },
    expected: false,
  },
  {
    name: 'a nested pattern matches one object in an event array',
    pattern: { detail: { participants: { role: ['ATND'] } } },
    event: {
      detail: {
        participants: [
          { role: 'ADM', id: 'P1' },
          { role: 'ATND', id: 'P2' },
        ],
      },
    },
    expected: true,
  },
  {
    name: 'fields of one nested pattern must come from the same array element',
    pattern: { detail: { participants: { role: ['ATND'], id: ['P1'] } } },
    event: {
      detail: {
        participants: [
          { role: 'ADM', id: 'P1' },
          { role: 'ATND', id: 'P2' },
        ],
      },
    },
    expected: false,
  },
  // Value types, null and the empty string ("Matching null values and empty strings").
  {
    name: 'a number matches the same JSON number',
    pattern: { detail: { priority: [1] } },
    event: { detail: { priority: 1 } },
    expected: true,
  },
  {
    name: 'a number does not match a string of its digits',
    pattern: { detail: { priority: [1] } },
    event: { detail: { priority: '1' } },
    expected: false,
  },
  {
    name: 'a boolean matches only the JSON boolean',
    pattern: { detail: { urgent: [true] } },
    event: { detail: { urgent: 'true' } },
    expected: false,
  },
  {
    name: 'null matches a null value',
    pattern: { detail: { responseElements: [null] } },
    event: { detail: { responseElements: null } },
    expected: true,
  },
  {
    name: 'null does not match a missing field',
    pattern: { detail: { responseElements: [null] } },
    event: { detail: {} },
    expected: false,
  },
  {
    name: 'the empty string matches an empty string',
    pattern: { detail: { eventVersion: [''] } },
    event: { detail: { eventVersion: '' } },
    expected: true,
  },
  {
    name: 'the empty string does not match null',
    pattern: { detail: { eventVersion: [''] } },
    event: { detail: { eventVersion: null } },
    expected: false,
  },
  // prefix, suffix, equals-ignore-case.
  {
    name: 'prefix matches a string starting with it',
    pattern: { time: [{ prefix: '2025-03-14' }] },
    event: admitted,
    expected: true,
  },
  {
    name: 'prefix fails a string starting otherwise',
    pattern: { time: [{ prefix: '2025-03-15' }] },
    event: admitted,
    expected: false,
  },
  {
    name: 'prefix only applies to strings',
    pattern: { detail: { priority: [{ prefix: '1' }] } },
    event: { detail: { priority: 12 } },
    expected: false,
  },
  {
    name: 'prefix with equals-ignore-case ignores the case of the start',
    pattern: { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ENCOUNTER.' } }] },
    event: admitted,
    expected: true,
  },
  {
    name: 'suffix matches a string ending with it',
    pattern: { detail: { document: [{ suffix: '.pdf' }] } },
    event: { detail: { document: 'discharge-summary.pdf' } },
    expected: true,
  },
  {
    name: 'suffix fails a string ending otherwise',
    pattern: { detail: { document: [{ suffix: '.png' }] } },
    event: { detail: { document: 'discharge-summary.pdf' } },
    expected: false,
  },
  {
    name: 'suffix with equals-ignore-case ignores the case of the end',
    pattern: { detail: { document: [{ suffix: { 'equals-ignore-case': '.PDF' } }] } },
    event: { detail: { document: 'discharge-summary.pdf' } },
    expected: true,
  },
  {
    name: 'equals-ignore-case matches the same letters in another case',
    pattern: { detail: { class: [{ 'equals-ignore-case': 'imp' }] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'equals-ignore-case fails different letters',
    pattern: { detail: { class: [{ 'equals-ignore-case': 'emer' }] } },
    event: admitted,
    expected: false,
  },
  // anything-but.
  {
    name: 'anything-but a string matches any other value',
    pattern: { detail: { class: [{ 'anything-but': 'EMER' }] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'anything-but a string fails that value',
    pattern: { detail: { class: [{ 'anything-but': 'IMP' }] } },
    event: admitted,
    expected: false,
  },
  {
    name: 'anything-but a list of strings matches a value outside it',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: { detail: { state: 'pending' } },
    expected: true,
  },
  {
    name: 'anything-but a list of numbers fails a number in it',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: { detail: { 'x-limit': 200 } },
    expected: false,
  },
  {
    name: 'anything-but does not match a missing field',
    pattern: { detail: { ward: [{ 'anything-but': 'Ward 9' }] } },
    event: safeguardingRaised,
    expected: false,
  },
  {
    name: 'anything-but matches a null value',
    pattern: { detail: { contributor: [{ 'anything-but': 'RX1' }] } },
    event: { detail: { contributor: null } },
    expected: true,
  },
  {
    name: 'anything-but prefix fails a string with that prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: { detail: { state: 'initializing' } },
    expected: false,
  },
  {
    name: 'anything-but prefix matches a string without that prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: { detail: { state: 'running' } },
    expected: true,
  },
  {
    name: 'anything-but prefix matches a number, which has no prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: { detail: { state: 12 } },
    expected: true,
  },
  {
    name: 'anything-but suffix fails a string with that suffix',
    pattern: { detail: { document: [{ 'anything-but': { suffix: '.png' } }] } },
    event: { detail: { document: 'wound.png' } },
    expected: false,
  },
  {
    name: 'anything-but equals-ignore-case fails the value in any case',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    event: { detail: { state: 'INITIALIZING' } },
    expected: false,
  },
  {
    name: 'anything-but wildcard fails a string the wildcard matches',
    pattern: { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: { detail: { path: '/usr/lib/libc.so' } },
    expected: false,
  },
  {
    name: 'anything-but wildcard matches a string the wildcard misses',
    pattern: { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: { detail: { path: '/usr/bin/node' } },
    expected: true,
  },
  {
    name: 'anything-but on an event array matches when some element is not excluded',
    pattern: { resources: [{ 'anything-but': 'Encounter/enc-1' }] },
    event: admitted,
    expected: true,
  },
  // numeric.
  {
    name: 'numeric range matches a number inside it',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: { detail: { 'c-count': 5 } },
    expected: true,
  },
  {
    name: 'numeric range fails a number on its open bound',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: { detail: { 'c-count': 0 } },
    expected: false,
  },
  {
    name: 'numeric equals matches the same number written another way',
    pattern: { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    event: { detail: { 'x-limit': 301.8 } },
    expected: true,
  },
  {
    name: 'numeric less-than matches a smaller number',
    pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } },
    event: { detail: { 'd-count': -3 } },
    expected: true,
  },
  {
    name: 'numeric does not match a string holding a number',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: { detail: { 'c-count': '5' } },
    expected: false,
  },
  {
    name: 'numeric does not match a missing field',
    pattern: { detail: { 'c-count': [{ numeric: ['>=', 0] }] } },
    event: { detail: {} },
    expected: false,
  },
  // exists.
  {
    name: 'exists true matches a present field',
    pattern: { detail: { contributor: [{ exists: true }] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'exists true matches a field whose value is null',
    pattern: { detail: { contributor: [{ exists: true }] } },
    event: { detail: { contributor: null } },
    expected: true,
  },
  {
    name: 'exists true fails a missing field',
    pattern: { detail: { contributor: [{ exists: true }] } },
    event: safeguardingRaised,
    expected: false,
  },
  {
    name: 'exists false matches a missing field',
    pattern: { detail: { contributor: [{ exists: false }] } },
    event: safeguardingRaised,
    expected: true,
  },
  {
    name: 'exists false fails a present field',
    pattern: { detail: { contributor: [{ exists: false }] } },
    event: admitted,
    expected: false,
  },
  {
    name: 'exists false matches a field holding an object, which is not a leaf',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: { detail: { state: 'running', 'c-count': { c1: 100 } } },
    expected: true,
  },
  {
    name: 'exists true fails a field holding an object, which is not a leaf',
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    event: { detail: { 'c-count': { c1: 100 } } },
    expected: false,
  },
  {
    name: 'exists true fails an empty array, which holds no leaf',
    pattern: { resources: [{ exists: true }] },
    event: { ...admitted, resources: [] },
    expected: false,
  },
  {
    name: 'exists false matches a field under a missing parent',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: { source: 'shared-care-record' },
    expected: true,
  },
  // cidr.
  {
    name: 'cidr matches an IPv4 address inside the network',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.0.33' } },
    expected: true,
  },
  {
    name: 'cidr fails an IPv4 address outside the network',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.1.33' } },
    expected: false,
  },
  {
    name: 'cidr matches an IPv6 address inside the network',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } },
    event: { detail: { sourceIPAddress: '2001:db8:1234:1a00::9' } },
    expected: true,
  },
  {
    name: 'cidr fails an IPv6 address outside the network',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } },
    event: { detail: { sourceIPAddress: '2001:db9::9' } },
    expected: false,
  },
  {
    name: 'cidr fails a value that is not an IP address',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: 123 } },
    expected: false,
  },
  // wildcard.
  {
    name: 'wildcard star stands for any run of characters',
    pattern: { detail: { patient: [{ wildcard: 'Patient/9*9' }] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'wildcard star also stands for no characters',
    pattern: { detail: { ward: [{ wildcard: 'Ward *7' }] } },
    event: admitted,
    expected: true,
  },
  {
    name: 'wildcard fails a string outside its shape',
    pattern: { detail: { document: [{ wildcard: '*.png' }] } },
    event: { detail: { document: 'discharge-summary.pdf' } },
    expected: false,
  },
  {
    name: 'wildcard is case-sensitive',
    pattern: { detail: { patient: [{ wildcard: 'patient/*' }] } },
    event: admitted,
    expected: false,
  },
  {
    name: 'an escaped star in a wildcard matches a literal star',
    pattern: { detail: { ward: [{ wildcard: 'Ward \\*7' }] } },
    event: { detail: { ward: 'Ward *7' } },
    expected: true,
  },
  {
    name: 'an escaped star in a wildcard matches nothing else',
    pattern: { detail: { ward: [{ wildcard: 'Ward \\*7' }] } },
    event: admitted,
    expected: false,
  },
  // $or.
  {
    name: '$or matches when one of its patterns matches',
    pattern: { $or: [{ 'detail-type': ['Flag.SafeguardingRaised'] }, { detail: { class: ['IMP'] } }] },
    event: admitted,
    expected: true,
  },
  {
    name: '$or fails when none of its patterns matches',
    pattern: { $or: [{ 'detail-type': ['Flag.SafeguardingRaised'] }, { detail: { class: ['EMER'] } }] },
    event: admitted,
    expected: false,
  },
  {
    name: '$or works inside a nested object',
    pattern: { detail: { $or: [{ class: ['EMER'] }, { ward: [{ prefix: 'Ward ' }] }] } },
    event: admitted,
    expected: true,
  },
  {
    name: '$or is ANDed with the fields beside it',
    pattern: {
      source: ['another-service'],
      $or: [{ 'detail-type': ['Encounter.Admitted'] }, { detail: { class: ['IMP'] } }],
    },
    event: admitted,
    expected: false,
  },
  // Rules this service gives EventBridge.
  {
    name: 'the safeguarding rule matches a safeguarding flag for any patient',
    pattern: {
      source: ['shared-care-record'],
      'detail-type': ['Flag.SafeguardingRaised'],
      detail: { patient: [{ prefix: 'Patient/' }] },
    },
    event: safeguardingRaised,
    expected: true,
  },
  {
    name: 'the inpatient admission rule ignores a safeguarding flag',
    pattern: {
      source: ['shared-care-record'],
      'detail-type': ['Encounter.Admitted'],
      detail: { class: ['IMP'] },
    },
    event: safeguardingRaised,
    expected: false,
  },
  {
    name: 'an event that is not a JSON object never matches',
    pattern: { detail: { class: [{ exists: false }] } },
    event: 'Encounter.Admitted',
    expected: false,
  },
];

describe('matchesEventPattern', () => {
  it.each(matchCases)('$name', ({ pattern, event, expected }) => {
    // Act
    const verdict = matchesEventPattern(pattern, event);

    // Assess
    expect(verdict).toBe(expected);
  });
});

interface ValidationCase {
  name: string;
  pattern: EventPattern;
  problem: string | undefined;
}

const validationCases: ValidationCase[] = [
  {
    name: 'accepts a pattern using every operator',
    pattern: {
      source: ['shared-care-record'],
      'detail-type': [{ prefix: { 'equals-ignore-case': 'encounter.' } }, { suffix: 'Raised' }],
      resources: [{ wildcard: 'Patient/*' }],
      detail: {
        class: [{ 'equals-ignore-case': 'imp' }, null, true, 3, ''],
        ward: [{ 'anything-but': { wildcard: ['Ward \\*', 'Theatre*'] } }],
        los: [{ numeric: ['>=', 0, '<', 30] }],
        ip: [{ cidr: '2001:db8::/32' }],
        $or: [{ contributor: [{ exists: true }] }, { note: [{ 'anything-but': [1, 2] }] }],
      },
    },
    problem: undefined,
  },
  {
    name: 'rejects a leaf that is not an array',
    pattern: { source: 'shared-care-record' },
    problem: 'source:',
  },
  { name: 'rejects an empty leaf array', pattern: { resources: [] }, problem: 'empty arrays' },
  {
    name: 'rejects a nested array in a leaf',
    pattern: { resources: [['Patient/1']] },
    problem: 'resources:',
  },
  {
    name: 'rejects an unknown operator',
    pattern: { detail: { x: [{ contains: 'a' }] } },
    problem: "'contains'",
  },
  { name: 'rejects operators in another case', pattern: { x: [{ EXISTS: true }] }, problem: "'EXISTS'" },
  {
    name: 'rejects two operators in one matcher',
    pattern: { x: [{ prefix: 'a', suffix: 'b' }] },
    problem: 'one',
  },
  {
    name: 'rejects a prefix that is not a string',
    pattern: { time: [{ prefix: ['2025'] }] },
    problem: 'prefix',
  },
  { name: 'rejects a non-boolean exists', pattern: { x: [{ exists: 'yes' }] }, problem: 'exists' },
  { name: 'rejects two lower bounds', pattern: { x: [{ numeric: ['>', 0, '>', 0] }] }, problem: 'range' },
  {
    name: 'rejects a comparison without a number',
    pattern: { x: [{ numeric: ['>', 0, '<'] }] },
    problem: 'numeric',
  },
  { name: 'rejects an inverted range', pattern: { x: [{ numeric: ['>', 5, '<', 1] }] }, problem: 'below' },
  { name: 'rejects a cidr without a mask', pattern: { ip: [{ cidr: '10.0.0.1' }] }, problem: 'cidr' },
  { name: 'rejects a cidr mask too long', pattern: { ip: [{ cidr: '10.0.0.0/33' }] }, problem: 'cidr' },
  { name: 'rejects a malformed address', pattern: { ip: [{ cidr: 'xx.11.xx/8' }] }, problem: 'cidr' },
  {
    name: 'rejects consecutive wildcards',
    pattern: { arn: [{ wildcard: 'arn:**:bus/*' }] },
    problem: 'consecutive',
  },
  {
    name: 'rejects a stray wildcard escape',
    pattern: { arn: [{ wildcard: 'a\\d*' }] },
    problem: 'backslash',
  },
  { name: 'rejects anything-but true', pattern: { x: [{ 'anything-but': true }] }, problem: 'anything-but' },
  {
    name: 'rejects a mixed anything-but list',
    pattern: { x: [{ 'anything-but': ['a', 1] }] },
    problem: 'only',
  },
  {
    name: 'rejects anything-but prefix ignoring case',
    pattern: { x: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }] },
    problem: 'anything-but prefix',
  },
  { name: 'rejects an $or with one branch', pattern: { $or: [{ x: ['a'] }] }, problem: '$or' },
  {
    name: 'names the path of a nested problem',
    pattern: { detail: { $or: [{ a: 1 }, { b: ['x'] }] } },
    problem: 'detail.$or[0].a',
  },
];

describe('validateEventPattern', () => {
  it.each(validationCases)('$name', ({ pattern, problem }) => {
    // Act
    const problems = validateEventPattern(pattern);

    // Assess
    if (problem === undefined) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringContaining(problem)]);
  });
});
