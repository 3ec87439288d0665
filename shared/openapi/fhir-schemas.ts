import type { OpenAPIV3_1 } from 'openapi-types';
import {
  isPrimitive,
  isResourceType,
  jsonProperties,
  typeDefinition,
  valueSetCodes,
} from '../fhir/definitions/r4-definitions.ts';

type Schema = OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject;

const INTEGERS = new Set(['integer', 'positiveInt', 'unsignedInt']);

/**
 * JSON Schemas of FHIR R4 types for the OpenAPI document, generated from the R4 definitions the server
 * validates against: every element with its JSON name (`value[x]` as `valueQuantity`, …), its type, whether it is
 * an array, the required ones, and the codes of a required binding. Complex data types and backbone elements
 * (by path, `AllergyIntolerance.reaction`) are shared schemas (`$ref`). Returns the schemas of `resourceTypes` and every data type they use.
 *
 * @example fhirSchemas(['Flag']).Flag.required // ['resourceType', 'status', 'code', 'subject']
 */
export function fhirSchemas(resourceTypes: string[]): Record<string, OpenAPIV3_1.SchemaObject> {
  const schemas: Record<string, OpenAPIV3_1.SchemaObject> = {};
  const pending = [...resourceTypes];
  while (pending.length) {
    const name = pending.pop() as string;
    if (schemas[name] || !typeDefinition(name)) continue;
    const isResource = isResourceType(name);
    schemas[name] = objectSchema(name, isResource, (used) => {
      if (!schemas[used]) pending.push(used);
    });
    const page = isResource || name.includes('.') ? name.split('.')[0]?.toLowerCase() : 'datatypes';
    schemas[name].externalDocs = { url: `https://hl7.org/fhir/R4/${page}.html` };
  }
  return schemas;
}

function objectSchema(
  typeName: string,
  isResource: boolean,
  uses: (complexType: string) => void,
): OpenAPIV3_1.SchemaObject {
  const properties: Record<string, Schema> = isResource ? { resourceType: { const: typeName } } : {};
  const required = isResource ? ['resourceType'] : [];
  for (const [jsonName, property] of jsonProperties(typeName) ?? []) {
    const single = propertySchema(property.type, property.element.binding, uses);
    properties[jsonName] = property.array ? { type: 'array', items: single } : single;
    const choice = jsonName !== property.name;
    if ((property.element.min ?? 0) > 0 && !choice) required.push(jsonName);
  }
  return {
    type: 'object',
    description: isResource
      ? `A FHIR R4 ${typeName}, as the R4 definitions give it (the server validates against them)`
      : `FHIR R4 ${typeName}`,
    properties,
    ...(required.length ? { required } : {}),
  };
}

function propertySchema(type: string, binding: string | undefined, uses: (t: string) => void): Schema {
  if (isPrimitive(type)) {
    if (type === 'boolean') return { type: 'boolean' };
    if (INTEGERS.has(type))
      return { type: 'integer', ...(type === 'integer' ? {} : { minimum: type === 'positiveInt' ? 1 : 0 }) };
    if (type === 'decimal') return { type: 'number' };
    const codes = binding ? Object.values(valueSetCodes(binding) ?? {}).flat() : [];
    return { type: 'string', description: `FHIR ${type}`, ...(codes.length ? { enum: codes } : {}) };
  }
  // A backbone element's type is its path (`AllergyIntolerance.reaction`): a schema of its own, as it may nest.
  if (!typeDefinition(type)) return { type: 'object', description: `FHIR ${type}` };
  uses(type);
  return { $ref: `#/components/schemas/${type}` };
}
