import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { searchParameters } from '#shared/fhir/definitions/search-parameters';
import { openApiDocument } from '#shared/openapi/openapi-document';
import { EXAMPLE_NHS_NUMBER, workedExamples } from '#shared/openapi/worked-examples';
import { resourceTypes } from '#shared/service/resource-types';
import { FHIR_BASE_PATH, routes } from '#shared/service/routes';

const document = openApiDocument({ serverUrl: 'http://localhost:3000' });
type Operation = {
  operationId: string;
  parameters?: { name?: string; $ref?: string }[];
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
  security?: unknown[];
};
const operation = (method: string, path: string) =>
  (document.paths?.[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

describe('OpenAPI document', () => {
  it('explains how a relationship starts and ends (CONTRACT §4), with a worked example', () => {
    const text = document.info.description ?? '';

    expect(text).toContain('## Relationships: who may read and contribute');
    expect(text).toContain('**How it starts.**');
    expect(text).toContain('`Access.RelationshipStarted`');
    expect(text).toContain('**How it ends.**');
    expect(text).toContain('30 days');
    expect(text).toContain('### Worked example: a community nursing visit');
    expect(text).toContain('POST /FHIR/R4/Encounter');
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(
      structuredClone(document) as Parameters<Validator['validate']>[0],
    );

    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('resolves every $ref inside the document', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1] as string);

    expect(refs.length).toBeGreaterThan(0);
    for (const path of new Set(refs)) {
      const target = path
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], document);
      expect(target, path).toBeDefined();
    }
  });

  it('documents every route of the supplier API, a {type} route once per type that supports it', () => {
    // The viewer's pages are for people in a browser: of the viewer, only the launch call is API (CONTRACT §7).
    const api = routes.filter(
      (r) =>
        r.interaction !== 'method-not-allowed' &&
        (r.function !== 'viewer' || r.interaction === 'launch') &&
        // A `{type}` route declared again under a literal type (for API Gateway) is documented as itself.
        r.type === undefined,
    );
    for (const route of api) {
      const pattern = new RegExp(
        `^${route.path.replace(/[$]/g, '\\$').replace('{type}', '[A-Z][A-Za-z]+')}$`,
      );
      const documented = Object.keys(document.paths ?? {}).filter(
        (path) => pattern.test(path) && operation(route.method, path),
      );
      expect(documented.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
  });

  it('offers each type only the interactions the resource-type table gives it', () => {
    expect(operation('POST', `${FHIR_BASE_PATH}/AllergyIntolerance`)?.operationId).toBe(
      'create-AllergyIntolerance',
    );
    expect(operation('POST', `${FHIR_BASE_PATH}/Organization`)).toBeUndefined();
    expect(operation('GET', `${FHIR_BASE_PATH}/Organization/{id}`)?.operationId).toBe('read-Organization');
    expect(operation('GET', `${FHIR_BASE_PATH}/Patient/{id}/$everything`)?.operationId).toBe(
      'everything-Patient',
    );
    expect(operation('GET', `${FHIR_BASE_PATH}/Condition/{id}/$everything`)).toBeUndefined();
    for (const [type, definition] of Object.entries(resourceTypes)) {
      const reads: readonly string[] = definition.interactions;
      expect(operation('GET', `${FHIR_BASE_PATH}/${type}/{id}`) !== undefined, type).toBe(
        reads.includes('read'),
      );
    }
  });

  it("lists a type's R4 search parameters, paging and sorting on its search", () => {
    const names = (operation('GET', `${FHIR_BASE_PATH}/Observation`)?.parameters ?? []).map(
      (p) => p.name ?? p.$ref?.split('/').at(-1),
    );

    for (const p of searchParameters('Observation')) expect(names).toContain(p.name);
    expect(names).toEqual(
      expect.arrayContaining(['patient', 'code', 'date', '_lastUpdated', '_count', '_sort']),
    );
  });

  it('needs a bearer token everywhere but the token endpoint, the JWKS and the CapabilityStatement', () => {
    expect(operation('POST', '/oauth2/token')?.security).toEqual([]);
    expect(operation('GET', `${FHIR_BASE_PATH}/metadata`)?.security).toEqual([]);
    expect(operation('GET', `${FHIR_BASE_PATH}/Patient/{id}`)?.security).toEqual([{ bearer: [] }]);
  });

  it('opens with the worked examples and attaches each request body to its operation', () => {
    const description = String(document.info.description);
    const examples = workedExamples();

    expect(examples.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'get-a-token',
        'register-a-patient',
        'contribute-an-allergy',
        'read-the-joined-up-record',
        'subscribe-to-admissions',
      ]),
    );
    for (const example of examples) {
      expect(description).toContain(`${example.title}\n`);
      expect(description).toContain(example.shell);
    }
    expect(description).toContain(`$FHIR/Patient/${EXAMPLE_NHS_NUMBER}`);
    const put = operation('PUT', `${FHIR_BASE_PATH}/Patient/{id}`);
    expect(
      put?.requestBody?.content['application/fhir+json']?.examples?.['register-a-patient']?.value,
    ).toMatchObject({
      resourceType: 'Patient',
      id: EXAMPLE_NHS_NUMBER,
    });
    const allergy = operation('POST', `${FHIR_BASE_PATH}/AllergyIntolerance`);
    // The worked example's body: an AllergyIntolerance (penicillin, SNOMED CT 91936005) for the example patient.
    expect(
      allergy?.requestBody?.content['application/fhir+json']?.examples?.['contribute-an-allergy']?.value,
    ).toMatchObject({
      resourceType: 'AllergyIntolerance',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '91936005' }] },
      patient: { reference: `Patient/${EXAMPLE_NHS_NUMBER}` },
    });
    const token = operation('POST', '/oauth2/token');
    expect(
      token?.requestBody?.content['application/x-www-form-urlencoded']?.examples?.['get-a-token']?.value,
    ).toMatchObject({ grant_type: 'client_credentials' });
  });
});
