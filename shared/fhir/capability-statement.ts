import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';
import { resourceTypes } from '../service/resource-types.ts';
import { routes } from '../service/routes.ts';
import { subscriptionCapability } from '../subscriptions/subscription-capability.ts';
import { searchParameters } from './definitions/search-parameters.ts';

/** Binary, served by the documents function: read (a redirect to the bytes) and the upload-URL operation. */
function binaryCapability(): CapabilityStatementRestResource {
  const served = routes.filter((r) => r.function === 'documents').map((r) => r.interaction);
  return {
    type: 'Binary',
    interaction: served.includes('binary-read') ? [{ code: 'read' }] : [],
    ...(served.includes('upload-url')
      ? {
          operation: [
            {
              name: 'upload-url',
              definition: 'https://shared-care-record.org/fhir/OperationDefinition/Binary-upload-url',
              documentation:
                'A presigned PUT (valid 5 minutes) for a document of up to 100 MB; see CONTRACT §6',
            },
          ],
        }
      : {}),
  };
}

const BULK_DATA = 'http://hl7.org/fhir/uv/bulkdata';
/** Bulk Data export (CONTRACT §8), as the routes serve it: the operation at each level the route table has. */
const exportsAt = (interaction: string) =>
  routes.some((r) => r.function === 'bulk-export' && r.interaction === interaction);
const exportOperation = (definition: string) => ({
  name: 'export',
  definition: `${BULK_DATA}/OperationDefinition/${definition}`,
  documentation:
    "Bulk Data (v2) export for the ICB's analysts only: pseudonymised NDJSON, restricted resources and national data opt-outs left out",
});

/** Group, served only for export: a group is a practice's registered list, its id the practice's ODS code. */
function groupCapability(): CapabilityStatementRestResource[] {
  return exportsAt('export-group')
    ? [{ type: 'Group', operation: [exportOperation('group-export')] }]
    : [];
}

/**
 * The server's CapabilityStatement, generated from the same declarations that drive routing, validation and
 * search, so it lists only what is actually served.
 */
export function capabilityStatement(
  fhirBase: string,
  software = { name: 'Shared Care Record', version: '0.1.0' },
) {
  const resource: CapabilityStatementRestResource[] = Object.entries(resourceTypes).map(([type, def]) => ({
    type: type as ResourceType,
    interaction: def.interactions.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: def.interactions.includes('vread'),
    updateCreate: type === 'Patient',
    conditionalCreate: def.interactions.includes('create'),
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    ...(def.interactions.includes('search-type')
      ? {
          searchParam: searchParameters(type).map((p) => ({ name: p.name, type: p.type })),
        }
      : {}),
    operation: [
      { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
      ...(type === 'Patient'
        ? [
            { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
            ...(exportsAt('export-patient') ? [exportOperation('patient-export')] : []),
            {
              name: 'current-medications',
              definition:
                'https://shared-care-record.org/fhir/OperationDefinition/Patient-current-medications',
              documentation:
                'What the patient currently takes, one entry per medicine with every source (statement, prescription, dispensing) and its organisation',
            },
          ]
        : []),
      ...(type === 'Composition'
        ? [{ name: 'document', definition: 'http://hl7.org/fhir/OperationDefinition/Composition-document' }]
        : []),
    ],
  }));
  const statement: CapabilityStatement = {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-26',
    kind: 'instance',
    software,
    implementation: { description: 'Shared Care Record FHIR R4 API', url: fhirBase },
    fhirVersion: '4.0.1',
    ...(exportsAt('export-system') ? { instantiates: [`${BULK_DATA}/CapabilityStatement/bulk-data`] } : {}),
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'NHS application-restricted access: a signed JWT client assertion exchanged at /oauth2/token for a Bearer token',
        },
        resource: [...resource, subscriptionCapability(), binaryCapability(), ...groupCapability()],
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        ...(exportsAt('export-system') ? { operation: [exportOperation('export')] } : {}),
      },
    ],
  };
  return statement;
}
