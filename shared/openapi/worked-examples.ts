import { SAFEGUARDING_VALUE_SET_ID } from '../events/safeguarding-value-set.ts';
import { queues } from '../service/queues.ts';
import { FHIR_BASE_PATH, type HttpMethod } from '../service/routes.ts';
import { subscriptionTopics } from '../subscriptions/subscription-topics.ts';

/** The NHS number the worked examples use: in the 999 range, never issued to a real person. */
export const EXAMPLE_NHS_NUMBER = '9990000018';
/** The practice the example patient is registered at: the sandbox's first GP practice. */
export const EXAMPLE_PRACTICE = 'A81001';

/** A request a step makes, for the OpenAPI operation it shows an example of. */
export interface ExampleRequest {
  method: HttpMethod;
  /** The request path from the server's root, as sent (`/FHIR/R4/Patient/9990000018`). */
  path: string;
  /** A JSON resource, or a form-encoded string for the token request. */
  body?: Record<string, unknown> | string;
}

/**
 * One step of the supplier's walk-through: shell commands to paste into one terminal, in order, in the folder
 * where `npm start` runs (they read `.sandbox/clients.json`). They need `curl`, `openssl`, `jq` and Node.js; the
 * Java step needs a JDK 11 or later.
 */
export interface WorkedExample {
  id: string;
  title: string;
  /** Markdown: why the step, and what comes back. */
  explanation: string;
  /** The commands exactly as the documentation shows them (bash). */
  shell: string;
  /** What a correct run prints: each `HTTP <status>` line, in order, and any other line to look for. */
  expect: string[];
  /** The requests it makes that OpenAPI operations show as their example. */
  requests?: ExampleRequest[];
  /** A tool beyond curl, openssl, jq and Node.js that the step needs. */
  needs?: 'java';
}

const fhir = (path: string) => `${FHIR_BASE_PATH}${path}`;
const FHIR_JSON = 'application/fhir+json';
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
const SECRET_EXTENSION = 'https://shared-care-record.org/fhir/StructureDefinition/subscription-secret';
const SNOMED = 'http://snomed.info/sct';

/**
 * A curl command as a supplier would type it: the FHIR base and token from the shell, the JSON body from a
 * here-document, the status printed last (`HTTP 201`). `expand` lets the shell fill `$VARIABLES` in the body.
 */
function curl(
  method: HttpMethod,
  url: string,
  options: { body?: unknown; headers?: string[]; save?: string; expand?: boolean; token?: string } = {},
): string {
  const lines = [
    `curl -sS -X ${method} "${url}"`,
    `-H "Authorization: Bearer $${options.token ?? 'TOKEN'}"`,
    ...(options.body !== undefined ? [`-H 'Content-Type: ${FHIR_JSON}'`] : []),
    ...(options.headers ?? []).map((h) => `-H '${h}'`),
    options.save ? `-o ${options.save} -w 'HTTP %{http_code}\\n'` : `-w '\\nHTTP %{http_code}\\n'`,
  ];
  if (options.body === undefined) return lines.join(' \\\n  ');
  const marker = options.expand ? 'JSON' : "'JSON'";
  return `${lines.join(' \\\n  ')} \\\n  --data-binary @- <<${marker}\n${JSON.stringify(options.body, null, 2)}\nJSON`;
}

/** A minimal, valid resource of each clinical type the API serves, for the "one of each" step. */
function clinicalExamples(patient: string): Record<string, unknown>[] {
  const subject = { reference: patient };
  return [
    {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { coding: [{ system: SNOMED, code: '44054006', display: 'Type 2 diabetes mellitus' }] },
      subject,
    },
    {
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: {
        coding: [{ system: SNOMED, code: '325278005', display: 'Metformin 500mg tablets' }],
      },
      subject,
      dosage: [{ text: 'One tablet twice a day with food' }],
    },
    {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
      subject,
      effectiveDateTime: '2026-11-20',
      valueQuantity: { value: 82, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    },
    {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: SNOMED, code: '1119349007', display: 'COVID-19 mRNA vaccine' }] },
      patient: subject,
      occurrenceDateTime: '2026-10-01',
    },
    {
      resourceType: 'Procedure',
      status: 'completed',
      code: { coding: [{ system: SNOMED, code: '80146002', display: 'Appendicectomy' }] },
      subject,
      performedDateTime: '2019-03-02',
    },
    {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      title: 'Diabetes care plan',
      subject,
    },
    {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      description: 'Review medication at next visit',
      for: subject,
    },
    {
      resourceType: 'EpisodeOfCare',
      status: 'active',
      type: [{ coding: [{ system: SNOMED, code: '390906007', display: 'Follow-up encounter' }] }],
      patient: subject,
      period: { start: '2026-11-20' },
    },
    // What the national services feed the record: prescribing and dispensing (dm+d codes), a referral and the
    // appointment booked from it, a result, a structured letter, a carer and a care team.
    {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: {
        coding: [{ system: SNOMED, code: '325278005', display: 'Metformin 500mg tablets' }],
      },
      subject,
      authoredOn: '2026-11-20',
      dosageInstruction: [{ text: 'One tablet twice a day with food' }],
    },
    {
      resourceType: 'MedicationDispense',
      status: 'completed',
      medicationCodeableConcept: {
        coding: [{ system: 'https://dmd.nhs.uk', code: '325278005', display: 'Metformin 500mg tablets' }],
      },
      subject,
      quantity: { value: 56, unit: 'tablet' },
      whenHandedOver: '2026-11-21T10:15:00Z',
    },
    {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      code: { coding: [{ system: SNOMED, code: '183519002', display: 'Referral to cardiology service' }] },
      subject,
      // A referral to the community trust: a care context that gives it a relationship (CONTRACT §4).
      performer: [{ reference: 'Organization/RX2' }],
    },
    {
      resourceType: 'Appointment',
      status: 'booked',
      start: '2027-01-12T09:30:00Z',
      end: '2027-01-12T09:50:00Z',
      participant: [{ actor: subject, status: 'accepted' }],
    },
    {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { coding: [{ system: SNOMED, code: '26604007', display: 'Full blood count' }] },
      subject,
      conclusion: 'Normal full blood count',
    },
    {
      resourceType: 'Composition',
      status: 'final',
      type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
      subject,
      date: '2026-11-20T11:00:00Z',
      author: [{ display: 'Dr Priya Patel' }],
      title: 'Clinic letter',
      section: [
        {
          title: 'Plan',
          text: {
            status: 'generated',
            div: '<div xmlns="http://www.w3.org/1999/xhtml">Review in 3 months.</div>',
          },
        },
      ],
    },
    {
      resourceType: 'RelatedPerson',
      patient: subject,
      relationship: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU' }],
          text: 'Carer',
        },
      ],
      name: [{ family: 'Example', given: ['Sam'] }],
    },
    {
      resourceType: 'CareTeam',
      status: 'active',
      name: 'Diabetes team',
      subject,
    },
  ];
}

/**
 * The worked examples of the supplier documentation, in order. The OpenAPI document opens with them, and
 * `test/e2e/worked-examples.test.ts` runs every step's commands exactly as shown against the sandbox.
 *
 * @example workedExamples().map((e) => e.title)
 */
export function workedExamples(nhsNumber = EXAMPLE_NHS_NUMBER, practice = EXAMPLE_PRACTICE): WorkedExample[] {
  const patient = `Patient/${nhsNumber}`;
  const letterTransaction = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f1d2c3b-0000-4000-8000-000000000001',
        resource: {
          resourceType: 'MedicationRequest',
          status: 'active',
          intent: 'order',
          medicationCodeableConcept: {
            coding: [{ system: SNOMED, code: '318908005', display: 'Ramipril 5mg capsules' }],
          },
          subject: { reference: patient },
          dosageInstruction: [{ text: 'One capsule once a day' }],
        },
        request: { method: 'POST', url: 'MedicationRequest' },
      },
      {
        fullUrl: 'urn:uuid:6f1d2c3b-0000-4000-8000-000000000002',
        resource: {
          resourceType: 'Composition',
          status: 'final',
          type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
          subject: { reference: patient },
          date: '2026-11-20T11:00:00Z',
          author: [{ display: 'Dr Priya Patel' }],
          title: 'Clinic letter: blood pressure review',
          section: [
            {
              title: 'Medication changes',
              entry: [{ reference: 'urn:uuid:6f1d2c3b-0000-4000-8000-000000000001' }],
            },
          ],
        },
        request: { method: 'POST', url: 'Composition' },
      },
    ],
  };
  const topics = subscriptionTopics.map((t) => `\`${t.url}\` (${t.detailTypes.join(', ')})`).join(', ');
  const [deliveryQueue] = queues;
  const backoff = deliveryQueue.retryBackoff;
  const patientBody = {
    resourceType: 'Patient',
    id: nhsNumber,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
    name: [{ use: 'official', family: 'Example', given: ['Alex'] }],
    gender: 'unknown',
    birthDate: '1980-06-14',
    generalPractitioner: [{ reference: `Organization/${practice}` }],
  };
  const allergy = {
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
    code: { coding: [{ system: SNOMED, code: '91936005', display: 'Allergy to penicillin' }] },
    patient: { reference: patient },
    recordedDate: '2026-11-20',
  };
  const subscription = (topic: string, filter: string, reason: string) => ({
    resourceType: 'Subscription',
    status: 'requested',
    reason,
    criteria: `https://shared-care-record.org/fhir/SubscriptionTopic/${topic}`,
    _criteria: { extension: [{ url: `${BACKPORT}/backport-filter-criteria`, valueString: filter }] },
    extension: [{ url: SECRET_EXTENSION, valueString: '$SECRET' }],
    channel: {
      type: 'rest-hook',
      endpoint: '$INBOX',
      payload: FHIR_JSON,
      _payload: { extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'id-only' }] },
      header: ['Authorization: Bearer a-token-your-endpoint-accepts'],
    },
  });
  const admissionSubscription = subscription(
    'admission',
    `patient=${patient}`,
    'Tell the practice when its patient is admitted',
  );
  const safeguardingFlag = {
    resourceType: 'Flag',
    status: 'active',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'safety' }] },
    ],
    code: { coding: [{ system: SNOMED, code: '764841000000100', display: 'Looked after child' }] },
    subject: { reference: patient },
  };
  const admission = (status: 'in-progress' | 'finished') => ({
    resourceType: 'Encounter',
    status,
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'IMP',
      display: 'inpatient encounter',
    },
    subject: { reference: patient },
    period: {
      start: '2026-11-21T09:30:00Z',
      ...(status === 'finished' ? { end: '2026-11-24T15:00:00Z' } : {}),
    },
  });
  const upload = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'contentType', valueCode: 'text/plain' },
      { name: 'size', valueInteger: '$SIZE' },
      { name: 'hash', valueBase64Binary: '$HASH' },
    ],
  };
  const document = (attachment: Record<string, unknown>) => ({
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: SNOMED, code: '373942005', display: 'Discharge summary' }] },
    subject: { reference: patient },
    content: [{ attachment: { contentType: 'text/plain', size: '$SIZE', hash: '$HASH', ...attachment } }],
  });
  // The numbers a here-document fills in are strings in JSON.stringify's output: unquote them for FHIR.
  const unquoteNumbers = (text: string) => text.replace(/"\$SIZE"/g, '$SIZE');

  return [
    {
      id: 'set-up',
      title: 'Set up your shell',
      explanation:
        "Run every step in one terminal, in the folder where `npm start` runs: the commands read the sandbox's " +
        'addresses and clients from `.sandbox/clients.json`. You need `curl`, `openssl`, `jq` and Node.js. ' +
        "Your organisation's signing key is most likely a PEM file; the sandbox keeps its clients' keys as JWKs, " +
        "so this step writes the `gp` client's as `gp-key.pem` (PKCS#8). A PKCS#1 key (`BEGIN RSA PRIVATE KEY`) " +
        'converts with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out gp-key.pem`.',
      shell: [
        'FHIR=$(jq -r .fhirBase .sandbox/clients.json)',
        'TOKEN_URL=$(jq -r .tokenUrl .sandbox/clients.json)',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text shown to suppliers, not a template
        'SANDBOX=${FHIR%/FHIR/R4}',
        `CLIENT_ID=$(jq -r '.clients[] | select(.role == "gp") | .clientId' .sandbox/clients.json)`,
        `KID=$(jq -r '.clients[] | select(.role == "gp") | .kid' .sandbox/clients.json)`,
        `write_pem() { node -e 'const { createPrivateKey } = require("node:crypto"); const c = require("./.sandbox/clients.json").clients.find((c) => c.role === process.argv[1]); process.stdout.write(createPrivateKey({ key: c.privateJwk, format: "jwk" }).export({ type: "pkcs8", format: "pem" }))' "$1" > "$1-key.pem"; }`,
        'write_pem gp',
        'head -1 gp-key.pem',
      ].join('\n'),
      expect: ['-----BEGIN PRIVATE KEY-----'],
    },
    {
      id: 'get-a-token',
      title: 'Get a token (curl and openssl, PEM key)',
      explanation:
        'Sign a client assertion (a JWT) with your private key and exchange it for an access token. The header ' +
        'names your key (`alg` RS512, `kid`); the claims are `iss` = `sub` = your client id, `aud` = the token URL, ' +
        'a new `jti` each time and an `exp` at most 5 minutes ahead. The answer is ' +
        '`{"access_token": "…", "token_type": "Bearer", "expires_in": 600}`: send `Authorization: Bearer ' +
        '<access_token>` on every FHIR call until it expires, then get another. A refusal says what to fix ' +
        "(`error_description`): an unknown `kid`, an `alg` other than the key's, a signature that does not " +
        'verify, or a claim such as `sub` that must equal your client id.',
      shell: [
        "b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }",
        `HEADER=$(printf '{"alg":"RS512","kid":"%s","typ":"JWT"}' "$KID" | b64url)`,
        `CLAIMS=$(printf '{"iss":"%s","sub":"%s","aud":"%s","jti":"%s","exp":%s}' "$CLIENT_ID" "$CLIENT_ID" "$TOKEN_URL" "$(openssl rand -hex 16)" "$(( $(date +%s) + 240 ))" | b64url)`,
        `SIGNATURE=$(printf '%s.%s' "$HEADER" "$CLAIMS" | openssl dgst -sha512 -sign gp-key.pem -binary | b64url)`,
        'curl -sS -X POST "$TOKEN_URL" \\',
        '  --data-urlencode grant_type=client_credentials \\',
        '  --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \\',
        '  --data-urlencode "client_assertion=$HEADER.$CLAIMS.$SIGNATURE" \\',
        "  -o token.json -w 'HTTP %{http_code}\\n'",
        'TOKEN=$(jq -r .access_token token.json)',
        'jq .token_type token.json',
      ].join('\n'),
      expect: ['HTTP 200', '"Bearer"'],
      requests: [
        {
          method: 'POST',
          path: '/oauth2/token',
          body:
            'grant_type=client_credentials' +
            '&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer' +
            '&client_assertion=<the signed JWT>',
        },
      ],
    },
    {
      id: 'get-a-token-node',
      title: 'Get a token (Node.js, no packages)',
      explanation:
        'The same with Node.js 18 or later and only its own `crypto` and `fetch`. `node get-token.mjs acute` ' +
        "gets the acute trust's token instead (after `write_pem acute`).",
      shell: [
        "cat > get-token.mjs <<'JS'",
        "import { createPrivateKey, randomUUID, sign } from 'node:crypto';",
        "import { readFileSync } from 'node:fs';",
        '',
        "const role = process.argv[2] ?? 'gp';",
        "const { tokenUrl, clients } = JSON.parse(readFileSync('.sandbox/clients.json', 'utf8'));",
        'const client = clients.find((c) => c.role === role);',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text shown to suppliers, not a template
        'const key = createPrivateKey(readFileSync(`${role}-key.pem`));',
        "const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');",
        "const header = b64url({ alg: 'RS512', kid: client.kid, typ: 'JWT' });",
        'const claims = b64url({',
        '  iss: client.clientId,',
        '  sub: client.clientId,',
        '  aud: tokenUrl,',
        '  jti: randomUUID(),',
        '  exp: Math.floor(Date.now() / 1000) + 240,',
        '});',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text shown to suppliers, not a template
        "const signature = sign('sha512', Buffer.from(`${header}.${claims}`), key).toString('base64url');",
        'const response = await fetch(tokenUrl, {',
        "  method: 'POST',",
        '  body: new URLSearchParams({',
        "    grant_type: 'client_credentials',",
        "    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text shown to suppliers, not a template
        '    client_assertion: `${header}.${claims}.${signature}`,',
        '  }),',
        '});',
        'const body = await response.json();',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text shown to suppliers, not a template
        'if (!response.ok) throw new Error(`${response.status} ${body.error}: ${body.error_description}`);',
        'console.log(body.access_token);',
        'JS',
        'TOKEN=$(node get-token.mjs)',
        'echo "Token of $(echo -n "$TOKEN" | wc -c) characters"',
      ].join('\n'),
      expect: ['Token of'],
    },
    {
      id: 'get-a-token-java',
      title: 'Get a token (Java 11+, no libraries)',
      explanation:
        'The same in Java with the JDK alone (`java GetToken.java` runs a single source file). A .NET service ' +
        'does the same with `RSA.ImportFromPem` and `RSA.SignData(…, HashAlgorithmName.SHA512, ' +
        'RSASignaturePadding.Pkcs1)`.',
      shell: [
        "cat > GetToken.java <<'JAVA'",
        'import java.net.URI;',
        'import java.net.URLEncoder;',
        'import java.net.http.HttpClient;',
        'import java.net.http.HttpRequest;',
        'import java.net.http.HttpResponse;',
        'import java.nio.charset.StandardCharsets;',
        'import java.nio.file.Files;',
        'import java.nio.file.Path;',
        'import java.security.KeyFactory;',
        'import java.security.PrivateKey;',
        'import java.security.Signature;',
        'import java.security.spec.PKCS8EncodedKeySpec;',
        'import java.util.Base64;',
        'import java.util.UUID;',
        '',
        'public class GetToken {',
        '  public static void main(String[] args) throws Exception {',
        '    String clientId = args[0], kid = args[1], tokenUrl = args[2];',
        '    String pem = Files.readString(Path.of(args[3])).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\\\s", "");',
        '    PrivateKey key = KeyFactory.getInstance("RSA")',
        '        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));',
        '    Base64.Encoder b64url = Base64.getUrlEncoder().withoutPadding();',
        '    String header = b64url.encodeToString(',
        '        String.format("{\\"alg\\":\\"RS512\\",\\"kid\\":\\"%s\\",\\"typ\\":\\"JWT\\"}", kid).getBytes(StandardCharsets.UTF_8));',
        '    long exp = System.currentTimeMillis() / 1000 + 240;',
        '    String claims = b64url.encodeToString(String.format(',
        '        "{\\"iss\\":\\"%s\\",\\"sub\\":\\"%s\\",\\"aud\\":\\"%s\\",\\"jti\\":\\"%s\\",\\"exp\\":%d}",',
        '        clientId, clientId, tokenUrl, UUID.randomUUID(), exp).getBytes(StandardCharsets.UTF_8));',
        '    Signature signer = Signature.getInstance("SHA512withRSA");',
        '    signer.initSign(key);',
        '    signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));',
        '    String assertion = header + "." + claims + "." + b64url.encodeToString(signer.sign());',
        '    String form = "grant_type=client_credentials&client_assertion_type="',
        '        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)',
        '        + "&client_assertion=" + assertion;',
        '    HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))',
        '        .header("Content-Type", "application/x-www-form-urlencoded")',
        '        .POST(HttpRequest.BodyPublishers.ofString(form)).build();',
        '    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());',
        '    if (response.statusCode() != 200) throw new IllegalStateException(response.statusCode() + " " + response.body());',
        '    System.out.println(response.body());',
        '  }',
        '}',
        'JAVA',
        'java GetToken.java "$CLIENT_ID" "$KID" "$TOKEN_URL" gp-key.pem | jq .token_type',
      ].join('\n'),
      expect: ['"Bearer"'],
      needs: 'java',
    },
    {
      id: 'register-a-patient',
      title: 'Register a patient',
      explanation:
        "Create the patient at their NHS number with `PUT /Patient/{nhs}`. `generalPractitioner` names the patient's " +
        'registered practice by its ODS code, which gives that practice a relationship with the record. Answered ' +
        '`201 Created` with `ETag: W/"1"`; sending it again updates it, and then needs `If-Match` with the ETag.',
      shell: curl('PUT', `$FHIR/${patient}`, { body: patientBody, save: 'patient.json' }),
      expect: ['HTTP 201'],
      requests: [{ method: 'PUT', path: fhir(`/${patient}`), body: patientBody }],
    },
    {
      id: 'contribute-an-allergy',
      title: 'Contribute an allergy',
      explanation:
        'Add an AllergyIntolerance to the record. It must reference the registered patient; the server assigns ' +
        'the id (see `Location`) and tags it with your organisation as its contributor (`meta.tag` with the ODS ' +
        'code system), taken from your token, never from the body.',
      shell: curl('POST', '$FHIR/AllergyIntolerance', { body: allergy, save: 'allergy.json' }),
      expect: ['HTTP 201'],
      requests: [{ method: 'POST', path: fhir('/AllergyIntolerance'), body: allergy }],
    },
    {
      id: 'contribute-each-type',
      title: 'Contribute one resource of each clinical type',
      explanation:
        'Each clinical type the API serves names its patient in `subject` (or `patient`, or `for` on a Task, or ' +
        'a `participant.actor` on an Appointment) and ' +
        'is contributed the same way. Admissions (Encounter), safeguarding (Flag) and documents (DocumentReference) ' +
        'have steps of their own below; a Consent records an objection to sharing (CONTRACT §4).',
      shell: clinicalExamples(patient)
        .map((body) => curl('POST', `$FHIR/${body.resourceType}`, { body, save: '/dev/null' }))
        .join('\n'),
      expect: clinicalExamples(patient).map(() => 'HTTP 201'),
      requests: clinicalExamples(patient).map((body) => ({
        method: 'POST' as const,
        path: fhir(`/${body.resourceType}`),
        body,
      })),
    },
    {
      id: 'read-the-joined-up-record',
      title: 'Read and search the joined-up record',
      explanation:
        "`$everything` answers a `searchset` Bundle of everything in the patient's record that your organisation " +
        'may see: what every organisation contributed, less what the patient has objected to sharing and what ' +
        'is labelled restricted. Page with the `next` link; narrow with `_type` and `_since`. A search needs the ' +
        'patient (`patient=` or `subject=`) and takes the R4 search parameters of the type, `_count` (at most ' +
        '100) and `_sort`. Every read is audited.',
      shell: [
        `curl -sS "$FHIR/${patient}/\\$everything?_count=50" -H "Authorization: Bearer $TOKEN" -o everything.json -w 'HTTP %{http_code}\\n'`,
        'jq -r \'[.entry[].resource.resourceType] | unique | join(" ")\' everything.json',
        `curl -sS "$FHIR/Observation?patient=${patient}&code=http://loinc.org|29463-7&_sort=-date" -H "Authorization: Bearer $TOKEN" -o weights.json -w 'HTTP %{http_code}\\n'`,
        "jq '.entry | length' weights.json",
      ].join('\n'),
      expect: ['HTTP 200', 'AllergyIntolerance', 'HTTP 200', '1'],
      requests: [{ method: 'GET', path: fhir(`/${patient}/$everything`) }],
    },
    {
      id: 'current-medications',
      title: 'What the patient currently takes',
      explanation:
        '`$current-medications` answers a `Parameters` with one `medication` per medicine the patient currently ' +
        'takes, from every organisation: each has its `code` and a `source` for every statement, prescription or ' +
        'dispensing that says so (its `type`, the contributing `organisation`, its `date` and `status`, and the ' +
        '`resource` itself). The same medicine from several sources is one entry with several sources (grouped by ' +
        'its SNOMED CT / dm+d code, else its text). Current means: a MedicationStatement `active` or `intended`; ' +
        'a MedicationRequest that is an `active` order whose `dispenseRequest.validityPeriod` has not ended; a ' +
        'MedicationDispense `completed` or `in-progress` handed over within the last 90 days (or its `daysSupply`, ' +
        'if longer). The access rules are those of `$everything`.',
      shell: [
        `curl -sS "$FHIR/${patient}/\\$current-medications" -H "Authorization: Bearer $TOKEN" -o medications.json -w 'HTTP %{http_code}\\n'`,
        'jq -r \'.parameter[] | select(.name == "medication") | .part[] | select(.name == "code") | .valueCodeableConcept.coding[0].display\' medications.json',
        'jq -r \'.parameter[] | select(.name == "medication") | [.part[] | select(.name == "source") | .part[] | select(.name == "type") | .valueCode] | sort | join(" ")\' medications.json',
      ].join('\n'),
      expect: ['HTTP 200', 'Metformin 500mg tablets', 'MedicationRequest MedicationStatement'],
      requests: [{ method: 'GET', path: fhir(`/${patient}/$current-medications`) }],
    },
    {
      id: 'send-a-structured-letter',
      title: 'Send a structured letter as one transaction, and read it as a whole',
      explanation:
        'A structured letter (a discharge summary, LOINC 18842-5, or a clinic letter) is a `Composition` whose ' +
        "sections reference the record's resources. Send it with what it references as one `transaction` Bundle " +
        '(`urn:uuid:` references are resolved; all or nothing), then read it as a whole with `$document`: a ' +
        '`document` Bundle of the Composition, its patient and the entries you may see. A final discharge summary ' +
        'raises `Composition.DischargeSummaryAdded`, whose detail names its `encounter`, the same Encounter as the ' +
        'discharge event it follows.',
      shell: [
        curl('POST', '$FHIR', { body: letterTransaction, save: 'letter.json' }),
        `COMPOSITION=$(jq -r '.entry[1].response.location | split("/") | .[-4:-2] | join("/")' letter.json)`,
        `curl -sS "$FHIR/$COMPOSITION/\\$document" -H "Authorization: Bearer $TOKEN" -o document.json -w 'HTTP %{http_code}\\n'`,
        `jq -r '[.type] + [.entry[].resource.resourceType] | join(" ")' document.json`,
      ].join('\n'),
      expect: ['HTTP 200', 'HTTP 200', 'document Composition Patient MedicationRequest'],
      requests: [{ method: 'POST', path: fhir(''), body: letterTransaction }],
    },
    {
      id: 'subscribe-to-admissions',
      title: 'Subscribe to admissions',
      explanation:
        'Ask to be told when the patient is admitted, following the FHIR R4 Subscriptions Backport: the topic is ' +
        'the `criteria`, one filter sits in the `backport-filter-criteria` extension (`patient=Patient/{nhs}`, ' +
        "which needs a relationship, or `general-practitioner={ODS}` for all your practice's registered patients), " +
        `and notifications carry ids only. The topics: ${topics}. ` +
        'In the sandbox, `http://localhost` endpoints are allowed, and the sandbox runs an inbox for you at ' +
        '`/_sandbox/inbox/{any name}` (`GET` it to see what arrived); a deployment delivers only to `https` ' +
        'endpoints on the internet. `channel.header` is sent with every notification and never shown again on ' +
        'read; the secret signs each body and is never returned.',
      shell: [
        'INBOX="$SANDBOX/_sandbox/inbox/gp-system-$(openssl rand -hex 4)"',
        'SECRET=$(openssl rand -hex 32)',
        curl('POST', '$FHIR/Subscription', {
          body: admissionSubscription,
          save: 'subscription.json',
          expand: true,
        }),
        'SUBSCRIPTION_ID=$(jq -r .id subscription.json)',
        "jq -r '.status' subscription.json",
        curl('POST', '$FHIR/Subscription', {
          body: subscription(
            'discharge',
            `general-practitioner=${practice}`,
            'Tell the practice when any of its registered patients is discharged',
          ),
          save: 'discharges.json',
          expand: true,
        }),
      ].join('\n'),
      expect: ['HTTP 201', 'active', 'HTTP 201'],
      requests: [{ method: 'POST', path: fhir('/Subscription'), body: admissionSubscription }],
    },
    {
      id: 'raise-a-safeguarding-concern',
      title: 'Raise a safeguarding concern',
      explanation:
        `An active Flag whose code is on the deployment's safeguarding list (\`GET /ValueSet/${SAFEGUARDING_VALUE_SET_ID}\`) ` +
        'raises an alert: a Task for each other organisation with a relationship with the patient, and a ' +
        'notification on the `safeguarding` topic. A Flag that looks like safeguarding (category `safety` or ' +
        '`behavioral`, or text that says so) but whose code is not on the list is stored and raises nothing: with ' +
        '`Prefer: return=OperationOutcome` the answer carries a warning saying so. Check your codes against the list.',
      shell: [
        `curl -sS "$FHIR/ValueSet/${SAFEGUARDING_VALUE_SET_ID}" -H "Authorization: Bearer $TOKEN" -o safeguarding-codes.json -w 'HTTP %{http_code}\\n'`,
        `jq -r '.compose.include[0].concept[] | "\\(.code) \\(.display // "")"' safeguarding-codes.json | head -3`,
        curl('POST', '$FHIR/Flag', {
          body: safeguardingFlag,
          headers: ['Prefer: return=OperationOutcome'],
          save: 'flag.json',
        }),
        "jq -r '.issue[] | .severity' flag.json",
      ].join('\n'),
      expect: ['HTTP 200', '836881000000105', 'HTTP 201', 'information'],
      requests: [
        { method: 'GET', path: fhir(`/ValueSet/${SAFEGUARDING_VALUE_SET_ID}`) },
        { method: 'POST', path: fhir('/Flag'), body: safeguardingFlag },
      ],
    },
    {
      id: 'admit-and-discharge',
      title: 'Record an admission and a discharge',
      explanation:
        'An Encounter of class `IMP` (inpatient), `ACUTE` or `EMER` (system ' +
        '`http://terminology.hl7.org/CodeSystem/v3-ActCode`) becoming `in-progress` is an admission; becoming ' +
        '`finished` is a discharge. Each raises an event, notifies subscribers, and gives the registered ' +
        'practice and related social care a Task. Update with `If-Match` and the ETag you read.',
      shell: [
        curl('POST', '$FHIR/Encounter', { body: admission('in-progress'), save: 'encounter.json' }),
        'ENCOUNTER_ID=$(jq -r .id encounter.json)',
        'jq \'.status = "finished" | .period.end = "2026-11-24T15:00:00Z"\' encounter.json > discharged.json',
        `curl -sS -X PUT "$FHIR/Encounter/$ENCOUNTER_ID" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: ${FHIR_JSON}' -H 'If-Match: W/"1"' --data-binary @discharged.json -o /dev/null -w 'HTTP %{http_code}\\n'`,
      ].join('\n'),
      expect: ['HTTP 201', 'HTTP 200'],
      requests: [{ method: 'POST', path: fhir('/Encounter'), body: admission('in-progress') }],
    },
    {
      id: 'receive-a-notification',
      title: 'Receive a notification and check its signature',
      explanation:
        'Each notification is a `history` Bundle POSTed to your endpoint: first a SubscriptionStatus `Parameters` ' +
        '(`type` `event-notification`, the `event-number`, the `focus`), then an entry naming the focus by URL. ' +
        'No clinical content: read the focus with your token. With a secret, `X-Signature: sha256=<hex>` is the ' +
        'HMAC-SHA256 of the exact body bytes: compute it over the body as received, before parsing.',
      shell: [
        'for attempt in $(seq 1 100); do [ "$(curl -sS "$INBOX" | jq length)" -gt 0 ] && break; sleep 0.2; done',
        'curl -sS "$INBOX" -o inbox.json',
        "jq -j '.[0].body' inbox.json > notification.json",
        `jq -r '.entry[0].resource.parameter[] | select(.name == "type") | .valueCode' notification.json`,
        `jq -r '.entry[1].request.url' notification.json`,
        'EXPECTED="sha256=$(openssl dgst -sha256 -hmac "$SECRET" -r notification.json | cut -d" " -f1)"',
        `RECEIVED=$(jq -r '.[0].headers["x-signature"]' inbox.json)`,
        '[ "$EXPECTED" = "$RECEIVED" ] && echo "Signature verified"',
      ].join('\n'),
      expect: ['event-notification', 'Encounter/', 'Signature verified'],
    },
    {
      id: 'status-and-missed-events',
      title: 'Check deliveries, and catch up on missed notifications',
      explanation:
        "`$status` shows the subscription's state (`active`, or `error` with the last error), the last event " +
        'number (`events-since-subscription-start`) and counts delivered and dead-lettered. A failed delivery is ' +
        `retried with exponential backoff: after ${backoff.baseSeconds} s, then doubling up to ` +
        `${backoff.maxSeconds / 60} minutes between attempts, ${deliveryQueue.maxReceiveCount} attempts in all ` +
        "(about three hours), then it goes to a dead-letter queue that alarms the ICB's operators. The sandbox " +
        'runs the same schedule 1000 times faster (about 11 s). Whatever happened, `$events` answers the ' +
        'notifications of the last 7 days by event number (`eventsSinceNumber`, `eventsUntilNumber`), so a ' +
        'receiver that was down catches up from the last number it saw.',
      shell: [
        `curl -sS "$FHIR/Subscription/$SUBSCRIPTION_ID/\\$status" -H "Authorization: Bearer $TOKEN" -o status.json -w 'HTTP %{http_code}\\n'`,
        `jq -r '.entry[0].resource.parameter[] | select(.name == "status") | .valueCode' status.json`,
        `curl -sS "$FHIR/Subscription/$SUBSCRIPTION_ID/\\$events?eventsSinceNumber=1" -H "Authorization: Bearer $TOKEN" -o events.json -w 'HTTP %{http_code}\\n'`,
        `jq -r '.entry[0].resource.parameter[] | select(.name == "notification-event") | .part[] | select(.name == "event-number") | "event \\(.valueString)"' events.json`,
      ].join('\n'),
      expect: ['HTTP 200', 'active', 'HTTP 200', 'event 1'],
    },
    {
      id: 'find-your-tasks',
      title: 'Find the Tasks addressed to you',
      explanation:
        'Admissions, discharges and safeguarding concerns give the organisations that should know a `Task` ' +
        '(`status` `requested`, `intent` `order`, `owner` the Organization, `focus` the Encounter or Flag, `for` ' +
        'the Patient); a referral (an active ServiceRequest naming your organisation as `performer`) gives you one ' +
        'whose `focus` is the ServiceRequest, and a relationship with the patient while it is active. Find yours by ' +
        'patient and owner; acknowledge one by updating its `status` (with `If-Match`).',
      shell: [
        `curl -sS "$FHIR/Task?patient=${patient}&owner=Organization/${practice}" -H "Authorization: Bearer $TOKEN" -o tasks.json -w 'HTTP %{http_code}\\n'`,
        "jq -r '.resourceType' tasks.json",
      ].join('\n'),
      expect: ['HTTP 200', 'Bundle'],
    },
    {
      id: 'share-a-document',
      title: 'Share a document: inline, and by upload',
      explanation:
        'Up to 5 MB, put the bytes in `attachment.data` (base64) with `contentType`, `size` and `hash` (base64 ' +
        'SHA-1 of the bytes); the server checks them, stores the bytes and answers `attachment.url` = a `Binary`. ' +
        'Larger files (up to 100 MB): `POST /Binary/$upload-url` with the same three facts, PUT the bytes to the ' +
        'presigned `url` with the `header`s it lists, then create the DocumentReference naming the `binary`. ' +
        '`GET /Binary/{id}` answers `302` to a short-lived download URL. Allowed: PDF, plain text, PNG, JPEG, CDA XML.',
      shell: [
        "printf 'Discharge summary for the worked example.\\n' > letter.txt",
        "SIZE=$(wc -c < letter.txt | tr -d ' ')",
        'HASH=$(openssl dgst -sha1 -binary letter.txt | openssl base64 -A)',
        'DATA=$(openssl base64 -A < letter.txt)',
        unquoteNumbers(
          curl('POST', '$FHIR/DocumentReference', {
            body: document({ data: '$DATA' }),
            save: 'inline.json',
            expand: true,
          }),
        ),
        "jq -r '.content[0].attachment.url' inline.json",
        unquoteNumbers(
          curl('POST', `$FHIR/Binary/\\$upload-url`, { body: upload, save: 'upload.json', expand: true }),
        ),
        `UPLOAD_URL=$(jq -r '.parameter[] | select(.name == "url") | .valueUrl' upload.json)`,
        `BINARY=$(jq -r '.parameter[] | select(.name == "binary") | .valueReference.reference' upload.json)`,
        `UPLOAD_HEADERS=(); while IFS= read -r h; do UPLOAD_HEADERS+=(-H "$h"); done < <(jq -r '.parameter[] | select(.name == "header") | .valueString' upload.json)`,
        `curl -sS -X PUT "$UPLOAD_URL" "\${UPLOAD_HEADERS[@]}" --data-binary @letter.txt -o /dev/null -w 'HTTP %{http_code}\\n'`,
        unquoteNumbers(
          curl('POST', '$FHIR/DocumentReference', {
            body: document({ url: '$BINARY' }),
            save: 'uploaded.json',
            expand: true,
          }),
        ),
        `curl -sS "$FHIR/$BINARY" -H "Authorization: Bearer $TOKEN" -o /dev/null -w 'HTTP %{http_code}\\n'`,
      ].join('\n'),
      expect: ['HTTP 201', '/Binary/', 'HTTP 200', 'HTTP 200', 'HTTP 201', 'HTTP 302'],
      requests: [
        { method: 'POST', path: fhir('/Binary/$upload-url'), body: upload },
        {
          method: 'POST',
          path: fhir('/DocumentReference'),
          body: document({ data: '<base64 of the bytes>' }),
        },
      ],
    },
    {
      id: 'relationships-and-break-glass',
      title: 'Relationships and break-glass',
      explanation:
        'Reading a record needs a legitimate relationship: being the registered practice, or holding a care ' +
        'context (an Encounter or EpisodeOfCare you recorded, or a referral to you). Without one, reads answer ' +
        '`403`, saying how to start one. In an emergency, `NHSD-Purpose-Of-Use: ETREAT` with a ' +
        '`NHSD-Break-Glass-Reason` reads anyway: it is audited, announced (`Access.BreakGlass`) and alarmed on ' +
        'when frequent. Here the acute trust, with no relationship, reads the patient both ways.',
      shell: [
        'write_pem acute',
        'ACUTE_TOKEN=$(node get-token.mjs acute)',
        curl('GET', `$FHIR/${patient}`, { token: 'ACUTE_TOKEN', save: 'refused.json' }),
        "jq -r '.issue[0].diagnostics' refused.json | cut -c1-60",
        curl('GET', `$FHIR/${patient}`, {
          token: 'ACUTE_TOKEN',
          headers: [
            'NHSD-Purpose-Of-Use: ETREAT',
            'NHSD-Break-Glass-Reason: Unconscious in the emergency department',
          ],
          save: 'break-glass.json',
        }),
      ].join('\n'),
      expect: ['HTTP 403', 'no legitimate relationship', 'HTTP 200'],
    },
  ];
}
