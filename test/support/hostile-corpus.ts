/**
 * The hostile corpus: malformed and hostile requests, generated as classes × variants, each of which the API must
 * answer with a 4xx OperationOutcome (an OAuth error body at the token endpoint) and no change to any record.
 * Each class is one kind of bad input CONTRACT §3 or issue 14 names; its variants are real hostile inputs of
 * that kind, aimed at the corpus's own canary patient or at fresh NHS numbers no other test uses.
 */

/** One request of the corpus. `path` is below the FHIR base unless it starts with `//` (below the host). */
export interface HostileRequest {
  name: string;
  method: string;
  path: string;
  /** Extra headers as sent, in order, repeats kept; the bearer token is added unless `auth` is false. */
  headers?: [string, string][];
  body?: Buffer | string;
  auth?: boolean;
  /** The only statuses accepted; any 4xx when absent. */
  expect?: number[];
  /** The answer is an OAuth error body (the token endpoint), not an OperationOutcome. */
  oauth?: boolean;
}

export interface HostileClass {
  name: string;
  requests: HostileRequest[];
}

/** What the generator needs to aim requests: the canary and its resources, and ways to make fresh patients. */
export interface CorpusTargets {
  canary: string;
  canaryFlag: string;
  fhirBase: string;
  freshNhs: () => string;
  /** Signed client assertions whose claims break a bound. */
  assertions: { name: string; assertion: string }[];
  /** Signed client assertions that are valid, each usable once. */
  validAssertions: string[];
}

const JSON_TYPE: [string, string] = ['Content-Type', 'application/fhir+json'];
/** `text` as UTF-8 with the raw bytes `seq` put in front of the first `marker`. */
const spliced = (text: string, marker: string, seq: number[]) => {
  const at = text.indexOf(marker);
  return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(seq), Buffer.from(text.slice(at))]);
};

/** Byte sequences that are not UTF-8. */
const INVALID_UTF8: [string, number[]][] = [
  ['lone continuation byte', [0x80]],
  ['overlong slash', [0xc0, 0xaf]],
  ['C3 28', [0xc3, 0x28]],
  ['truncated three-byte sequence', [0xe2, 0x82]],
  ['five-byte form', [0xf8, 0x88, 0x80, 0x80, 0x80]],
  ['UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ['FF byte', [0xff]],
  ['code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['F5 byte', [0xf5, 0x80, 0x80, 0x80]],
  ['overlong NUL', [0xc0, 0x80]],
  ['overlong three-byte slash', [0xe0, 0x80, 0xaf]],
  ['lead byte before ASCII', [0xe2, 0x41]],
];

/** Path segments whose percent-encoding is malformed or decodes to bytes that are not UTF-8. */
const BAD_ESCAPES = ['%FF%FE', '%E0%A4%A', '%', '%zz', '%C3%28', '%80', '%ED%A0%80', '%C0%AF'];

/** Bodies that are not one JSON object at all. */
const SYNTAX_ERRORS = [
  'truncated',
  'trailing comma',
  'single quotes',
  'NaN',
  'a comment',
  'an array',
  'a string',
  'a number',
  'null',
  'empty',
  'two objects',
];

/** Generates the corpus for `t`. */
export function hostileCorpus(t: CorpusTargets): HostileClass[] {
  const patient = (family: string) =>
    `{"resourceType":"Patient","id":"${t.canary}","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"${t.canary}"}],"name":[{"family":"${family}"}],"gender":"unknown"}`;
  const flag = (subject: string, extra = '') =>
    `{"resourceType":"Flag","status":"active","code":{"text":"Hostile corpus"},"subject":{"reference":"${subject}"}${extra}}`;
  const condition = (subject: string) =>
    ({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { text: 'Hostile corpus' },
      subject: { reference: subject },
    }) as Record<string, unknown>;
  const json = (v: unknown) => JSON.stringify(v);
  const transaction = (entry: unknown) => json({ resourceType: 'Bundle', type: 'transaction', entry });
  const ifMatch: [string, string] = ['If-Match', 'W/"1"'];

  const classes: HostileClass[] = [];
  const add = (name: string, requests: HostileRequest[]) => classes.push({ name, requests });

  // Issue 14: bodies that are not UTF-8 are refused, never stored with replacement characters.
  add(
    'body bytes that are not UTF-8',
    INVALID_UTF8.flatMap(([what, seq]) => [
      {
        name: `PUT canary Patient, ${what} in the name`,
        method: 'PUT',
        path: `/Patient/${t.canary}`,
        headers: [JSON_TYPE, ifMatch],
        body: spliced(patient('Testname'), 'stname', seq),
        expect: [400],
      },
      {
        name: `POST Flag for the canary, ${what} in code.text`,
        method: 'POST',
        path: '/Flag',
        headers: [JSON_TYPE],
        body: spliced(flag(`Patient/${t.canary}`), 'Hostile', seq),
        expect: [400],
      },
      {
        name: `transaction creating a Flag, ${what}`,
        method: 'POST',
        path: '',
        headers: [JSON_TYPE],
        body: spliced(
          `{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"POST","url":"Flag"},"resource":${flag(`Patient/${t.canary}`)}}]}`,
          'Hostile',
          seq,
        ),
        expect: [400],
      },
      {
        name: `$validate, ${what}`,
        method: 'POST',
        path: '/Flag/$validate',
        headers: [JSON_TYPE],
        body: spliced(flag(`Patient/${t.canary}`), 'Hostile', seq),
        expect: [400],
      },
      {
        name: `PUT canary Flag, ${what}`,
        method: 'PUT',
        path: `/Flag/${t.canaryFlag}`,
        headers: [JSON_TYPE, ['If-Match', 'W/"2"']],
        body: spliced(flag(`Patient/${t.canary}`, `,"id":"${t.canaryFlag}"`), 'Hostile', seq),
        expect: [400],
      },
    ]),
  );

  // Issue 14: the gateway answers a malformed path 400, never 502.
  const pathShapes = (bad: string) => [
    `/Patient/${bad}`,
    `/Flag/${bad}/_history`,
    `/Flag/${t.canaryFlag}/_history/${bad}`,
    `/Patient/${bad}/$everything`,
    `/${bad}`,
    `/Condition/${bad}`,
    `/Patient/${bad}/_history/1`,
    `/${bad}/$validate`,
  ];
  add(
    'malformed percent-encoding in the path',
    BAD_ESCAPES.flatMap((bad) =>
      pathShapes(bad).map((path) => ({ name: `GET ${path}`, method: 'GET', path, expect: [400] })),
    ),
  );

  // Issue 14: query values are decoded strictly too.
  add(
    'malformed percent-encoding in the query',
    ['%FF', '%C3%28', '%E0%A4%A', '%ED%A0%80', '%C0%AF'].flatMap((bad) => [
      ...['code', 'status', 'date', '_count', '_id', '_lastUpdated', '_sort'].map((param) => ({
        name: `search with ${param}=${bad}`,
        method: 'GET',
        path: `/Flag?patient=Patient/${t.canary}&${param}=${bad}`,
        expect: [400],
      })),
      {
        name: `search with a parameter named ${bad}`,
        method: 'GET',
        path: `/Flag?patient=Patient/${t.canary}&${bad}=1`,
        expect: [400],
      },
    ]),
  );

  // Issue 14: a subject or patient elsewhere is not this record's patient.
  const elsewhere = (nhs: string) => [
    `https://another-server.example/fhir/Patient/${nhs}`,
    `http://another-server.example/FHIR/R4/Patient/${nhs}`,
    `${t.fhirBase.replace(/:\d+/, ':1')}/Patient/${nhs}`,
    `${t.fhirBase}/../other/Patient/${nhs}`.replace('/FHIR/R4/../', '/'),
    `urn:oid:2.16.840.1.113883.2.1.4.1.${nhs}`,
  ];
  const clinicalTypes: [string, (subject: string) => Record<string, unknown>][] = [
    ['Flag', (s) => JSON.parse(flag(s))],
    ['Condition', condition],
    [
      'AllergyIntolerance',
      (s) => ({
        resourceType: 'AllergyIntolerance',
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
          ],
        },
        code: { text: 'Hostile' },
        patient: { reference: s },
      }),
    ],
    [
      'Observation',
      (s) => ({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'Hostile' },
        subject: { reference: s },
      }),
    ],
    [
      'Immunization',
      (s) => ({
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { text: 'Hostile' },
        patient: { reference: s },
        occurrenceDateTime: '2024-01-01',
      }),
    ],
    [
      'Procedure',
      (s) => ({
        resourceType: 'Procedure',
        status: 'completed',
        code: { text: 'Hostile' },
        subject: { reference: s },
      }),
    ],
  ];
  add(
    'subject or patient on another server',
    elsewhere(t.canary).flatMap((reference) =>
      clinicalTypes.map(([type, make]) => ({
        name: `POST ${type} referencing ${reference}`,
        method: 'POST',
        path: `/${type}`,
        headers: [JSON_TYPE],
        body: json(make(reference)),
        // A urn: is no address at all outside a Bundle: an unresolved reference (400), not a foreign one (422).
        expect: reference.startsWith('urn:') ? [400] : [422],
      })),
    ),
  );

  // Issue 14: a urn:uuid: reference no entry defines.
  const unresolved = (where: string) => {
    const f = JSON.parse(flag(`Patient/${t.canary}`));
    const ref = { reference: `urn:uuid:${crypto.randomUUID()}` };
    if (where === 'subject') f.subject = ref;
    if (where === 'encounter') f.encounter = ref;
    if (where === 'author') f.author = ref;
    if (where === 'extension')
      f.extension = [{ url: 'https://example.org/StructureDefinition/related', valueReference: ref }];
    return f;
  };
  add(
    'unresolved urn:uuid references',
    ['subject', 'encounter', 'author', 'extension'].flatMap((where) => [
      {
        name: `transaction with a Flag whose ${where} is an undefined urn:uuid`,
        method: 'POST',
        path: '',
        headers: [JSON_TYPE],
        body: transaction([
          {
            fullUrl: `urn:uuid:${crypto.randomUUID()}`,
            request: { method: 'POST', url: 'Flag' },
            resource: unresolved(where),
          },
        ]),
        expect: [400],
      },
      {
        name: `create of a Flag whose ${where} is an undefined urn:uuid`,
        method: 'POST',
        path: '/Flag',
        headers: [JSON_TYPE],
        body: json(unresolved(where)),
        expect: [400],
      },
    ]),
  );

  // Issue 14 and FHIR JSON: shapes of a transaction Bundle the rules forbid.
  const flagEntry = {
    request: { method: 'POST', url: 'Flag' },
    resource: JSON.parse(flag(`Patient/${t.canary}`)),
  };
  const badEntries: [string, unknown][] = [
    ['entry as an object', flagEntry],
    ['entry as a string', 'Flag'],
    ['entry as a number', 1],
    ['entry holding null', [null]],
    ['entry holding a number', [1]],
    ['entry holding an array', [[flagEntry]]],
    ['request as a string', [{ ...flagEntry, request: 'POST Flag' }]],
    ['request.method as a number', [{ ...flagEntry, request: { method: 1, url: 'Flag' } }]],
    ['request.url as an object', [{ ...flagEntry, request: { method: 'POST', url: { type: 'Flag' } } }]],
    ['resource as an array', [{ ...flagEntry, resource: [flagEntry.resource] }]],
    ['resource as a string', [{ ...flagEntry, resource: 'Flag' }]],
    ['fullUrl as a number', [{ ...flagEntry, fullUrl: 42 }]],
    ['request.method in lower case', [{ ...flagEntry, request: { method: 'post', url: 'Flag' } }]],
    ['request missing', [{ resource: flagEntry.resource }]],
  ];
  add(
    'Bundle shapes FHIR JSON forbids',
    badEntries
      .flatMap(([what, entry]) =>
        ['transaction', 'batch'].map((type) => ({
          name: `${type} with ${what}`,
          method: 'POST',
          path: '',
          headers: [JSON_TYPE],
          body: json({ resourceType: 'Bundle', type, entry }),
          // A batch answers a bad entry in its response; a shape that is not an entry list at all is 400.
          expect: type === 'transaction' || !Array.isArray(entry) ? [400] : [400, 200],
        })),
      )
      .filter((r) => !r.expect.includes(200)),
  );

  // Issue 14: a resource id must be a JSON string.
  const badIds: [string, unknown][] = [
    ['a number', 123],
    ['a boolean', true],
    ['an array', ['abc']],
    ['an object', { value: 'abc' }],
  ];
  add(
    'resource ids that are not strings',
    badIds.flatMap(([what, id]) => [
      ...clinicalTypes.map(([type, make]) => ({
        name: `POST ${type} with an id that is ${what}`,
        method: 'POST',
        path: `/${type}`,
        headers: [JSON_TYPE],
        body: json({ ...make(`Patient/${t.canary}`), id }),
        expect: [400],
      })),
      {
        name: `PUT canary Patient with an id that is ${what}`,
        method: 'PUT',
        path: `/Patient/${t.canary}`,
        headers: [JSON_TYPE, ifMatch],
        body: json({ ...JSON.parse(patient('Hostile')), id }),
        expect: [400],
      },
    ]),
  );

  // Issue 14: nesting deep enough to exhaust a recursive walker.
  // Built as text: a value this deep is more than JSON.stringify itself can walk.
  const nestedExtension = (depth: number) =>
    `${'{"url":"https://example.org/x","extension":['.repeat(depth)}{"url":"https://example.org/x","valueString":"deep"}${']}'.repeat(depth)}`;
  const nestedArrays = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  add(
    'JSON nested too deep',
    [200, 500, 1_000, 3_000, 20_000].flatMap((depth) => [
      {
        name: `POST Flag with extensions ${depth} deep`,
        method: 'POST',
        path: '/Flag',
        headers: [JSON_TYPE],
        body: flag(`Patient/${t.canary}`, `,"extension":[${nestedExtension(depth)}]`),
        expect: [400],
      },
      {
        name: `PUT canary Patient with extensions ${depth} deep`,
        method: 'PUT',
        path: `/Patient/${t.canary}`,
        headers: [JSON_TYPE, ifMatch],
        body: patient('Hostile').replace(/}$/, `,"extension":[${nestedExtension(depth)}]}`),
        expect: [400],
      },
      {
        name: `$validate with extensions ${depth} deep`,
        method: 'POST',
        path: '/Flag/$validate',
        headers: [JSON_TYPE],
        body: flag(`Patient/${t.canary}`, `,"extension":[${nestedExtension(depth)}]`),
        expect: [400],
      },
      {
        name: `transaction with arrays ${depth} deep`,
        method: 'POST',
        path: '',
        headers: [JSON_TYPE],
        body: `{"resourceType":"Bundle","type":"transaction","entry":${nestedArrays(depth)}}`,
        expect: [400],
      },
      {
        name: `POST Condition with a note ${depth} objects deep`,
        method: 'POST',
        path: '/Condition',
        headers: [JSON_TYPE],
        body: `{"resourceType":"Condition","subject":{"reference":"Patient/${t.canary}"},"note":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`,
        expect: [400],
      },
    ]),
  );

  // Issue 14: a string under the 5 MB body limit but over what one item can hold.
  add(
    'strings too long to store',
    [410, 450, 900, 2_000]
      .flatMap((kb) => [
        {
          name: `POST Flag with code.text of ${kb} KB`,
          method: 'POST',
          path: '/Flag',
          headers: [JSON_TYPE],
          body: json({ ...JSON.parse(flag(`Patient/${t.canary}`)), code: { text: 'x'.repeat(kb * 1024) } }),
          expect: [413],
        },
        {
          name: `PUT canary Patient with a name of ${kb} KB`,
          method: 'PUT',
          path: `/Patient/${t.canary}`,
          headers: [JSON_TYPE, ifMatch],
          body: patient('x'.repeat(kb * 1024)),
          expect: [413],
        },
        {
          name: `transaction with a Flag of ${kb} KB`,
          method: 'POST',
          path: '',
          headers: [JSON_TYPE],
          body: transaction([
            { ...flagEntry, resource: { ...flagEntry.resource, code: { text: 'x'.repeat(kb * 1024) } } },
          ]),
          expect: [413],
        },
      ])
      .concat(
        // Many strings, each short, whose sum is more than an item holds.
        [100, 200].map((count) => ({
          name: `POST Flag with ${count} notes of 4 KB in extensions`,
          method: 'POST',
          path: '/Flag',
          headers: [JSON_TYPE],
          body: json({
            ...JSON.parse(flag(`Patient/${t.canary}`)),
            extension: Array.from({ length: count }, () => ({
              url: 'https://example.org/note',
              valueString: 'y'.repeat(4096),
            })),
          }),
          expect: [413],
        })),
      ),
  );

  // Issue 14: ambiguous requests are refused, not guessed at.
  const singletons: [string, string, string][] = [
    ['Authorization', 'Bearer garbage', ''],
    ['Content-Type', 'text/plain', 'application/fhir+json'],
    ['If-Match', 'W/"99"', 'W/"1"'],
    ['X-Request-ID', 'first-id', 'second-id'],
    ['X-Correlation-ID', 'first', 'second'],
    ['NHSD-End-User-Organisation-ODS', 'X99999', 'A81001'],
    ['NHSD-Purpose-Of-Use', 'ETREAT', 'TREAT'],
    ['NHSD-Break-Glass-Reason', 'one reason', 'another'],
    ['NHSD-End-User-Id', '111111111111', '222222222222'],
    ['NHSD-End-User-Role', 'S0010:G0020:R0260', 'S0020:G0020:R0270'],
  ];
  add(
    'singleton headers sent twice',
    singletons.flatMap(([name, first, second]) => [
      {
        name: `read with two ${name}`,
        method: 'GET',
        path: `/Patient/${t.canary}`,
        headers: [[name, first], ...(second ? [[name, second] as [string, string]] : [])],
        expect: [400],
      },
      {
        name: `search with two ${name} (names in different case)`,
        method: 'GET',
        path: `/Flag?patient=Patient/${t.canary}`,
        headers: [[name, first], ...(second ? [[name.toLowerCase(), second] as [string, string]] : [])],
        expect: [400],
      },
      {
        name: `create with two ${name}`,
        method: 'POST',
        path: '/Flag',
        headers: [
          ...(name === 'Content-Type' ? [] : [JSON_TYPE]),
          [name, first],
          ...(second ? [[name, second] as [string, string]] : []),
        ],
        body: flag(`Patient/${t.canary}`),
        expect: [400],
      },
      {
        name: `$everything with two ${name}`,
        method: 'GET',
        path: `/Patient/${t.canary}/$everything`,
        headers: [[name, first], ...(second ? [[name, second] as [string, string]] : [])],
        expect: [400],
      },
      {
        name: `update of the canary with two ${name}`,
        method: 'PUT',
        path: `/Patient/${t.canary}`,
        headers: [
          ...(name === 'Content-Type' ? [] : [JSON_TYPE]),
          ...(name === 'If-Match' ? [] : [ifMatch]),
          [name, first],
          ...(second ? [[name, second] as [string, string]] : []),
        ],
        body: patient('Twoheaders'),
        expect: [400],
      },
    ]),
  );

  // Issue 14: the audit trail needs a patient.
  add(
    'audit trail searched without a patient',
    [
      '',
      '?_count=10',
      '?date=ge2024-01-01',
      '?_lastUpdated=gt2020-01-01',
      '?_sort=-date',
      '?entity=Patient/x',
    ].map((query) => ({
      name: `GET /AuditEvent${query}`,
      method: 'GET',
      path: `/AuditEvent${query}`,
      expect: [400],
    })),
  );

  // Issue 14: the token endpoint bounds every claim, and takes one Content-Type.
  const tokenRequest = (name: string, assertion: string, headers: [string, string][]): HostileRequest => ({
    name,
    method: 'POST',
    path: '//oauth2/token',
    auth: false,
    oauth: true,
    headers,
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString(),
  });
  const FORM: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];
  add('client assertions with unbounded claims', [
    ...t.assertions.map(({ name, assertion }) => tokenRequest(name, assertion, [FORM])),
    // Valid assertions, so only the repeated header can be why they are refused.
    ...t.validAssertions.map((assertion, i) =>
      tokenRequest(
        `a valid assertion with two Content-Type headers (${i + 1})`,
        assertion,
        i % 2 ? [FORM, FORM] : [['Content-Type', 'text/plain'], FORM],
      ),
    ),
  ]);

  // CONTRACT §3: NHS numbers.
  const fresh = t.freshNhs();
  const badNumbers = [
    `${fresh.slice(0, 9)}${(Number(fresh[9]) + 1) % 10}`,
    fresh.slice(0, 9),
    `${fresh}0`,
    `99${'x'.repeat(8)}`,
    '0000000000'.replace(/0$/, '1'),
    `${fresh.slice(0, 3)} ${fresh.slice(3)}`,
  ];
  add(
    'invalid NHS numbers',
    badNumbers.flatMap((nhs) => [
      {
        name: `PUT /Patient/${nhs}`,
        method: 'PUT',
        path: `/Patient/${encodeURIComponent(nhs)}`,
        headers: [JSON_TYPE],
        body: json({
          resourceType: 'Patient',
          id: nhs,
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
        }),
      },
      {
        name: `POST /Patient with identifier ${nhs}`,
        method: 'POST',
        path: '/Patient',
        headers: [JSON_TYPE],
        body: json({
          resourceType: 'Patient',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
        }),
        expect: [400],
      },
      {
        name: `POST Flag for Patient/${nhs}`,
        method: 'POST',
        path: '/Flag',
        headers: [JSON_TYPE],
        body: flag(`Patient/${nhs}`),
        expect: [400],
      },
    ]),
  );

  // CONTRACT §3: JSON only, well-formed, an object.
  const malformed: [string, string][] = [
    ['truncated', '{"resourceType":"Flag","status":'],
    ['trailing comma', '{"resourceType":"Flag","status":"active",}'],
    ['single quotes', "{'resourceType':'Flag'}"],
    ['NaN', '{"resourceType":"Flag","status":NaN}'],
    ['a comment', '{"resourceType":"Flag"/* x */}'],
    ['an array', '[{"resourceType":"Flag"}]'],
    ['a string', '"Flag"'],
    ['a number', '42'],
    ['null', 'null'],
    ['empty', ''],
    ['two objects', '{"resourceType":"Flag"}{"resourceType":"Flag"}'],
    ['resourceType a number', '{"resourceType":7,"status":"active"}'],
    ['resourceType missing', `{"status":"active","subject":{"reference":"Patient/${t.canary}"}}`],
    ['resourceType unknown', '{"resourceType":"Banana","status":"active"}'],
    ['resourceType another type', json(condition(`Patient/${t.canary}`))],
    ['an empty object', '{}'],
    ['a null element', `{"resourceType":"Flag","status":null,"subject":{"reference":"Patient/${t.canary}"}}`],
    ['an empty array', flag(`Patient/${t.canary}`, ',"category":[]')],
    ['an empty string', flag(`Patient/${t.canary}`, ',"language":""')],
    ['an unknown element', flag(`Patient/${t.canary}`, ',"colour":"red"')],
  ];
  add(
    'malformed or non-FHIR JSON',
    malformed.flatMap(([what, body]) => [
      { name: `POST Flag: ${what}`, method: 'POST', path: '/Flag', headers: [JSON_TYPE], body },
      {
        name: `PUT canary Flag: ${what}`,
        method: 'PUT',
        path: `/Flag/${t.canaryFlag}`,
        headers: [JSON_TYPE, ['If-Match', 'W/"2"']],
        body,
      },
      // $validate answers a verdict (200) on any resource; what is not a resource at all is a 400 there too.
      ...(SYNTAX_ERRORS.includes(what)
        ? [
            {
              name: `$validate: ${what}`,
              method: 'POST',
              path: '/Flag/$validate',
              headers: [JSON_TYPE],
              body,
            },
          ]
        : []),
    ]),
  );

  // Ids in the path that no resource could have.
  const badIds2 = [
    'x'.repeat(65),
    'a$b',
    '..%2F..%2Fetc',
    "1'%20OR%20'1'='1",
    '%00',
    'Patient',
    '-',
    '%E2%80%AE',
  ];
  add(
    'path ids that are not FHIR ids',
    badIds2.flatMap((id) =>
      [`/Flag/${id}`, `/Flag/${id}/_history`, `/Flag/${id}/_history/1`, `/Patient/${id}/$everything`].map(
        (path) => ({ name: `GET ${path}`, method: 'GET', path }),
      ),
    ),
  );

  // CONTRACT §3: content types.
  const types = [
    'text/plain',
    'application/xml',
    'application/fhir+xml',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/fhir+json, text/plain',
  ];
  add(
    'bodies that are not FHIR JSON',
    types.flatMap((type) => [
      {
        name: `POST Flag as ${type}`,
        method: 'POST',
        path: '/Flag',
        headers: [['Content-Type', type]],
        body: flag(`Patient/${t.canary}`),
        expect: [415],
      },
      {
        name: `PUT canary Patient as ${type}`,
        method: 'PUT',
        path: `/Patient/${t.canary}`,
        headers: [['Content-Type', type], ifMatch],
        body: patient('Astext'),
        expect: [415],
      },
    ]),
  );

  // CONTRACT §3: search rules.
  const searches = [
    `/Flag`,
    `/Flag?status=active`,
    `/Flag?patient=Patient/${t.canary}&colour=red`,
    `/Flag?patient=Patient/${t.canary}&_count=101`,
    `/Flag?patient=Patient/${t.canary}&_count=-1`,
    `/Flag?patient=Patient/${t.canary}&_count=abc`,
    `/Flag?patient=Patient/${t.canary}&date=xx2024`,
    `/Flag?patient=Patient/${t.canary}&date=2024-13-45`,
    `/Flag?patient=Patient/${t.canary}&_sort=colour`,
    `/Flag?patient=Patient/12345`,
    `/Flag?patient=Organization/A81001`,
    `/Flag?patient=Patient/${t.canary}&patient=Patient/${fresh}`,
    `/Observation?subject=Group/1`,
    `/Condition?patient=Patient/${t.canary}&_lastUpdated=yesterday`,
    `/Patient/${t.canary}/$everything?_count=1000`,
    `/Patient/${t.canary}/$everything?_since=notadate`,
  ];
  add(
    'searches the contract refuses',
    searches.map((path) => ({ name: `GET ${path}`, method: 'GET', path })),
  );

  // CONTRACT §3: versioning and interactions.
  add('interactions the contract refuses', [
    { name: 'DELETE the canary Patient', method: 'DELETE', path: `/Patient/${t.canary}`, expect: [405] },
    {
      name: 'PUT canary Patient without If-Match',
      method: 'PUT',
      path: `/Patient/${t.canary}`,
      headers: [JSON_TYPE],
      body: patient('Nomatch'),
      expect: [428],
    },
    {
      name: 'PUT canary Patient with a stale If-Match',
      method: 'PUT',
      path: `/Patient/${t.canary}`,
      headers: [JSON_TYPE, ['If-Match', 'W/"0"']],
      body: patient('Stale'),
      expect: [412],
    },
    {
      name: 'PUT canary Patient with a malformed If-Match',
      method: 'PUT',
      path: `/Patient/${t.canary}`,
      headers: [JSON_TYPE, ['If-Match', 'version one']],
      body: patient('Bad'),
    },
    {
      name: 'PUT canary Patient with another id in the body',
      method: 'PUT',
      path: `/Patient/${t.canary}`,
      headers: [JSON_TYPE, ifMatch],
      body: patient('Other').replace(`"id":"${t.canary}"`, `"id":"${fresh}"`),
    },
    {
      name: 'PUT canary Flag without If-Match',
      method: 'PUT',
      path: `/Flag/${t.canaryFlag}`,
      headers: [JSON_TYPE],
      body: flag(`Patient/${t.canary}`, `,"id":"${t.canaryFlag}"`),
      expect: [428],
    },
    {
      name: 'PUT canary Flag moving it to another patient',
      method: 'PUT',
      path: `/Flag/${t.canaryFlag}`,
      headers: [JSON_TYPE, ['If-Match', 'W/"2"']],
      body: flag(`Patient/${fresh}`, `,"id":"${t.canaryFlag}"`),
    },
    {
      name: 'DELETE canary Flag with a stale If-Match',
      method: 'DELETE',
      path: `/Flag/${t.canaryFlag}`,
      headers: [['If-Match', 'W/"1"']],
      expect: [412],
    },
    {
      name: 'POST Flag for an unregistered patient',
      method: 'POST',
      path: '/Flag',
      headers: [JSON_TYPE],
      body: flag(`Patient/${fresh}`),
      expect: [422],
    },
    {
      name: 'ETREAT without a reason',
      method: 'GET',
      path: `/Patient/${t.canary}`,
      headers: [['NHSD-Purpose-Of-Use', 'ETREAT']],
      expect: [400],
    },
    {
      name: 'an unknown purpose of use',
      method: 'GET',
      path: `/Patient/${t.canary}`,
      headers: [['NHSD-Purpose-Of-Use', 'CURIOSITY']],
      expect: [400],
    },
    {
      name: 'a break-glass reason of 5,000 characters',
      method: 'GET',
      path: `/Patient/${t.canary}`,
      headers: [
        ['NHSD-Purpose-Of-Use', 'ETREAT'],
        ['NHSD-Break-Glass-Reason', 'r'.repeat(5000)],
      ],
      expect: [400],
    },
    {
      name: 'a transaction of 51 entries',
      method: 'POST',
      path: '',
      headers: [JSON_TYPE],
      body: transaction(Array.from({ length: 51 }, () => flagEntry)),
      expect: [413],
    },
    {
      name: 'a batch of 201 entries',
      method: 'POST',
      path: '',
      headers: [JSON_TYPE],
      body: json({
        resourceType: 'Bundle',
        type: 'batch',
        entry: Array.from({ length: 201 }, () => flagEntry),
      }),
      expect: [413],
    },
    {
      name: 'a Bundle of type collection at the base',
      method: 'POST',
      path: '',
      headers: [JSON_TYPE],
      body: json({ resourceType: 'Bundle', type: 'collection' }),
      expect: [400],
    },
    {
      name: 'a body over 5 MB',
      method: 'POST',
      path: '/Flag',
      headers: [JSON_TYPE],
      body: flag(`Patient/${t.canary}`, `,"implicitRules":"${'z'.repeat(5 * 1024 * 1024)}"`),
      expect: [413],
    },
    { name: 'no token', method: 'GET', path: `/Patient/${t.canary}`, auth: false, expect: [401] },
    {
      name: 'a token that is not a JWT',
      method: 'GET',
      path: `/Patient/${t.canary}`,
      auth: false,
      headers: [['Authorization', 'Bearer abc.def.ghi']],
      expect: [401],
    },
    {
      name: 'a Basic credential',
      method: 'GET',
      path: `/Patient/${t.canary}`,
      auth: false,
      headers: [['Authorization', 'Basic dXNlcjpwYXNz']],
      expect: [401],
    },
    {
      name: 'a transaction updating one resource twice',
      method: 'POST',
      path: '',
      headers: [JSON_TYPE],
      body: transaction([
        { request: { method: 'DELETE', url: `Flag/${t.canaryFlag}` } },
        { request: { method: 'DELETE', url: `Flag/${t.canaryFlag}` } },
      ]),
      expect: [400],
    },
  ]);

  return classes;
}
