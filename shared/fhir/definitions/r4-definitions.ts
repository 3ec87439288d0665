import type { FhirPathExpression } from '../validation/fhirpath-expression.ts';
import compiled from './generated/r4-definitions.json' with { type: 'json' };

/** One element of a type, under the name FHIR JSON gives it (`value[x]` for a choice). */
export interface ElementDefinition {
  /** FHIR type codes, one per variant of a choice. A backbone element's type is its path (`Patient.contact`). */
  type: string | string[];
  /** Omitted when 0. */
  min?: number;
  /** Omitted when 1; `*` or a number above 1 means FHIR JSON carries an array. */
  max?: number | '*';
  /** The value set of a required binding, a key of `valueSets`. */
  binding?: string;
  /** For a Reference: the resource types it may point to, when not any. */
  targets?: string[];
  /** Invariants declared on this element rather than on its type. */
  constraints?: Constraint[];
}

/** An invariant with severity `error`. */
export interface Constraint {
  key: string;
  human: string;
  expression: FhirPathExpression;
}

/** A resource, a complex data type or a backbone element. */
export interface TypeDefinition {
  /** The type it specialises (Quantity for Age, DomainResource for Patient). */
  base?: string;
  /** The type it constrains (Quantity for SimpleQuantity): FHIR JSON names a choice by that type. */
  constrains?: string;
  elements: Record<string, ElementDefinition>;
  constraints?: Constraint[];
}

export interface R4Definitions {
  fhirVersion: string;
  /** Every R4 resource type name, compiled or not. */
  resourceTypes: string[];
  /** The resource types compiled in `types`. */
  compiledResourceTypes: string[];
  types: Record<string, TypeDefinition>;
  /** The regular expression of each primitive type (whole value), or null where R4 gives none. */
  primitiveTypes: Record<string, string | null>;
  /** Expanded value sets: code system URL → codes. */
  valueSets: Record<string, Record<string, string[]>>;
}

/** The R4 definitions compiled by `scripts/compile-fhir-definitions.ts`. */
export const r4Definitions = compiled as unknown as R4Definitions;

/** One property of a type as FHIR JSON writes it: `valueQuantity` is the Quantity variant of `value[x]`. */
export interface JsonProperty {
  /** The element's name without `[x]`, as FHIRPath navigates it. */
  name: string;
  element: ElementDefinition;
  /** The property's own type: for a choice, the variant its name gives. */
  type: string;
  /** Whether FHIR JSON carries an array (the element's maximum is above 1). */
  array: boolean;
}

const typeNames = new Set(Object.keys(r4Definitions.types));
const r4ResourceTypes = new Set(r4Definitions.resourceTypes);
const propertiesByType = new Map<string, Map<string, JsonProperty>>();

/** Whether `name` is an R4 resource type (compiled or not). */
export function isResourceType(name: string): boolean {
  return r4ResourceTypes.has(name);
}

/** The definition of a compiled type, or undefined. */
export function typeDefinition(name: string): TypeDefinition | undefined {
  return typeNames.has(name) ? r4Definitions.types[name] : undefined;
}

function choiceSuffix(type: string): string {
  const named = typeDefinition(type)?.constrains ?? type;
  return named[0]?.toUpperCase() + named.slice(1);
}

/**
 * The JSON properties of a compiled type, inherited ones included, by JSON name; undefined for an unknown type.
 * @example jsonProperties('Observation')?.get('valueQuantity') // { name: 'value', type: 'Quantity', ... }
 */
export function jsonProperties(typeName: string): Map<string, JsonProperty> | undefined {
  const cached = propertiesByType.get(typeName);
  if (cached) return cached;
  const chain: TypeDefinition[] = [];
  for (let t = typeDefinition(typeName); t; t = t.base ? typeDefinition(t.base) : undefined) chain.unshift(t);
  if (chain.length === 0) return undefined;
  const properties = new Map<string, JsonProperty>();
  for (const t of chain) {
    for (const [key, element] of Object.entries(t.elements)) {
      const array = element.max === '*' || (typeof element.max === 'number' && element.max > 1);
      if (key.endsWith('[x]')) {
        const name = key.slice(0, -3);
        for (const type of [element.type].flat()) {
          properties.set(name + choiceSuffix(type), { name, element, type, array });
        }
      } else {
        properties.set(key, { name: key, element, type: element.type as string, array });
      }
    }
  }
  propertiesByType.set(typeName, properties);
  return properties;
}

/** The type and its ancestors, nearest first: `Age`, `Quantity`, `Element`. */
export function typeAncestry(typeName: string): string[] {
  const names: string[] = [];
  for (let t: string | undefined = typeName; t; ) {
    names.push(t);
    const def = typeDefinition(t);
    t = def?.base ?? def?.constrains;
  }
  return names;
}
