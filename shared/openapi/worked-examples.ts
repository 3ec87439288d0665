import { FHIR_BASE_PATH, type HttpMethod } from '../service/routes.ts';

/** The NHS number the worked examples use: in the 999 range, never issued to a real person. */
export const EXAMPLE_NHS_NUMBER = '9990000018';
/** The practice the example patient is registered at: the sandbox's first GP practice. */
export const EXAMPLE_PRACTICE = 'A81001';

/** One step of the supplier's walk-through: a request as sent, and what to look for in the answer. */
export interface WorkedExample {
  id: string;
  title: string;
  /** Markdown: why the step, and what comes back. */
  explanation: string;
  method: HttpMethod;
  /** The request path, from the server's root. */
  path: string;
  /** The route-table path it is served by, so the OpenAPI operation can carry the example. */
  route: string;
  headers: Record<string, string>;
  /** A JSON resource, or a form-encoded string for the token request. */
  body?: Record<string, unknown> | string;
  /** The status a correct request is answered with. */
  expectedStatus: number;
}

const fhir = (path: string) => `${FHIR_BASE_PATH}${path}`;
const fhirHeaders = {
  Authorization: 'Bearer <access_token from step 1>',
  'Content-Type': 'application/fhir+json',
  'X-Request-ID': '<a new UUID per request, reused only to retry it>',
};

/**
 * The worked examples of the supplier documentation, in order: get a token, register a patient, contribute an
 * allergy, read the joined-up record, subscribe to admissions. The OpenAPI document shows them and the e2e
 * tests run them against the sandbox, so they stay true.
 *
 * @example workedExamples(EXAMPLE_NHS_NUMBER).map((e) => e.title)
 */
export function workedExamples(nhsNumber = EXAMPLE_NHS_NUMBER, practice = EXAMPLE_PRACTICE): WorkedExample[] {
  const patient = `Patient/${nhsNumber}`;
  return [
    {
      id: 'get-a-token',
      title: 'Get a token',
      explanation:
        'Sign a client assertion (a JWT) with your private key, then exchange it for an access token. The header ' +
        'names your key (`alg`, `kid`); the claims are `iss` = `sub` = your client id, `aud` = the token URL, a new ' +
        '`jti` each time and an `exp` at most 5 minutes ahead. In the sandbox, your client id, `kid` and private ' +
        'key are in `.sandbox/clients.json`. With Node.js and `jose`:\n\n' +
        '```js\n' +
        "import { importJWK, SignJWT } from 'jose';\n" +
        "const key = await importJWK(client.privateJwk, 'RS512');\n" +
        'const assertion = await new SignJWT({ iss: client.clientId, sub: client.clientId, aud: tokenUrl, jti: crypto.randomUUID() })\n' +
        "  .setProtectedHeader({ alg: 'RS512', kid: client.kid, typ: 'JWT' })\n" +
        "  .setExpirationTime('5m')\n" +
        '  .sign(key);\n' +
        '```\n\n' +
        'The answer is `{"access_token": "…", "token_type": "Bearer", "expires_in": 600}`: send ' +
        '`Authorization: Bearer <access_token>` on every FHIR call until it expires, then get another.',
      method: 'POST',
      path: '/oauth2/token',
      route: '/oauth2/token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body:
        'grant_type=client_credentials' +
        '&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer' +
        '&client_assertion=<the signed JWT>',
      expectedStatus: 200,
    },
    {
      id: 'register-a-patient',
      title: 'Register a patient',
      explanation:
        "Create the patient at their NHS number with `PUT /Patient/{nhs}`. `generalPractitioner` names the patient's " +
        'registered practice by its ODS code, which gives that practice a relationship to the record. Answered ' +
        '`201 Created` with `ETag: W/"1"`; sending it again updates it, and then needs `If-Match` with the ETag.',
      method: 'PUT',
      path: fhir(`/${patient}`),
      route: fhir('/{type}/{id}'),
      headers: fhirHeaders,
      body: {
        resourceType: 'Patient',
        id: nhsNumber,
        identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
        name: [{ use: 'official', family: 'Example', given: ['Alex'] }],
        gender: 'unknown',
        birthDate: '1980-06-14',
        generalPractitioner: [{ reference: `Organization/${practice}` }],
      },
      expectedStatus: 201,
    },
    {
      id: 'contribute-an-allergy',
      title: 'Contribute an allergy',
      explanation:
        'Add an AllergyIntolerance to the record. It must reference the registered patient; the server assigns ' +
        'the id (see `Location`) and tags it with your organisation as its contributor (`meta.tag` with the ODS ' +
        'code system), taken from your token, never from the body.',
      method: 'POST',
      path: fhir('/AllergyIntolerance'),
      route: fhir('/{type}'),
      headers: fhirHeaders,
      body: {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
          ],
        },
        verificationStatus: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
              code: 'confirmed',
            },
          ],
        },
        category: ['medication'],
        criticality: 'high',
        code: {
          coding: [{ system: 'http://snomed.info/sct', code: '91936005', display: 'Allergy to penicillin' }],
        },
        patient: { reference: patient },
        recordedDate: '2026-11-20',
      },
      expectedStatus: 201,
    },
    {
      id: 'read-the-joined-up-record',
      title: 'Read the joined-up record',
      explanation:
        "`$everything` answers a `searchset` Bundle of everything in the patient's record that your organisation " +
        'may see: what every organisation contributed, less what the patient has objected to sharing and what ' +
        'is labelled restricted. Page with the `next` link; narrow with `_type` and `_since`. Every read is audited.',
      method: 'GET',
      path: fhir(`/${patient}/$everything`),
      route: fhir('/{type}/{id}/$everything'),
      headers: { Authorization: fhirHeaders.Authorization },
      expectedStatus: 200,
    },
    {
      id: 'subscribe-to-admissions',
      title: 'Subscribe to admissions',
      explanation:
        'Ask to be told when the patient is admitted (an inpatient, acute or emergency Encounter becoming ' +
        '`in-progress`), following the FHIR R4 Subscriptions Backport: the topic is the `criteria`, one filter ' +
        'sits in the `backport-filter-criteria` extension, and notifications carry ids only. Each notification is ' +
        'a `history` Bundle POSTed to your endpoint, signed with your secret (`X-Signature: sha256=<hex HMAC>`). ' +
        '`GET /Subscription/{id}/$status` shows how deliveries are going.',
      method: 'POST',
      path: fhir('/Subscription'),
      route: fhir('/Subscription'),
      headers: fhirHeaders,
      body: {
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'Tell the practice when its patient is admitted',
        criteria: 'https://shared-care-record.org/fhir/SubscriptionTopic/admission',
        _criteria: {
          extension: [
            {
              url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria',
              valueString: `patient=${patient}`,
            },
          ],
        },
        extension: [
          {
            url: 'https://shared-care-record.org/fhir/StructureDefinition/subscription-secret',
            valueString: 'a-long-random-secret-you-keep',
          },
        ],
        channel: {
          type: 'rest-hook',
          endpoint: 'https://gp-system.example/fhir/notifications',
          payload: 'application/fhir+json',
          _payload: {
            extension: [
              {
                url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content',
                valueCode: 'id-only',
              },
            ],
          },
          header: ['Authorization: Bearer <a token your endpoint accepts>'],
        },
      },
      expectedStatus: 201,
    },
  ];
}
