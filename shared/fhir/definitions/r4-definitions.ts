import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FhirPathExpression } from '../validation/fhirpath-expression.ts';
import { definitionsFolder } from './definitions-folder.ts';

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

/** An expanded value set: code system URL → codes. */
export type ValueSetCodes = Record<string, string[]>;

/** The definitions of one resource type (`Patient.json`): the type, its backbone elements, their value sets. */
export interface ResourceDefinitions {
  types: Record<string, TypeDefinition>;
  /** The expanded value sets of the required bindings in `types`, by URL. */
  valueSets: Record<string, ValueSetCodes>;
}

/** The definitions every resource needs (`core.json`): data types, abstract types, primitives, type names. */
export interface CoreDefinitions extends ResourceDefinitions {
  fhirVersion: string;
  /** Every R4 resource type name: each has a file of its own. */
  resourceTypes: string[];
  /** The regular expression of each primitive type (whole value), or null where R4 gives none. */
  primitiveTypes: Record<string, string | null>;
}

function readDefinitions<T>(file: string): T {
  return JSON.parse(readFileSync(join(definitionsFolder(), file), 'utf8')) as T;
}

// Read at first use and kept: the core file, then each resource type's file when that type is first met.
let core: { definitions: CoreDefinitions; resourceTypes: Set<string> } | undefined;
const types = new Map<string, TypeDefinition>();
const valueSets = new Map<string, ValueSetCodes>();
const loadedResourceTypes = new Set<string>();
/** Names asked for that are no R4 type (FHIRPath's `String`, a misspelling), so that asking again costs nothing. */
const unknownTypes = new Set<string>();

function add(definitions: ResourceDefinitions): void {
  for (const [name, type] of Object.entries(definitions.types)) types.set(name, type);
  for (const [url, codes] of Object.entries(definitions.valueSets)) valueSets.set(url, codes);
}

function coreDefinitions(): CoreDefinitions {
  if (!core) {
    const definitions = readDefinitions<CoreDefinitions>('core.json');
    add(definitions);
    core = { definitions, resourceTypes: new Set(definitions.resourceTypes) };
  }
  return core.definitions;
}

/** Loads the file of the resource type a type name belongs to (`Patient` for `Patient.contact`), once. */
function loadOwner(name: string): void {
  const owner = name.split('.')[0] as string;
  if (loadedResourceTypes.has(owner) || !isResourceType(owner)) return;
  add(readDefinitions<ResourceDefinitions>(`${owner}.json`));
  loadedResourceTypes.add(owner);
}

/** The R4 version the definitions were compiled from. */
export function fhirVersion(): string {
  return coreDefinitions().fhirVersion;
}

/** The regular expression R4 gives a primitive type's values, or undefined. */
export function primitivePattern(type: string): string | undefined {
  return coreDefinitions().primitiveTypes[type] ?? undefined;
}

/** Whether `type` is an R4 primitive type (`string`, `dateTime`, …). */
export function isPrimitive(type: string): boolean {
  return Object.hasOwn(coreDefinitions().primitiveTypes, type);
}

/** The codes of a required binding's value set, when it was expanded at build time. */
export function valueSetCodes(url: string): ValueSetCodes | undefined {
  coreDefinitions();
  return valueSets.get(url);
}

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

const propertiesByType = new Map<string, Map<string, JsonProperty>>();

/** Whether `name` is an R4 resource type. */
export function isResourceType(name: string): boolean {
  coreDefinitions();
  return core?.resourceTypes.has(name) === true;
}

/** Every R4 resource type name. */
export function resourceTypeNames(): string[] {
  return [...coreDefinitions().resourceTypes];
}

/** The definition of an R4 type (a resource, a data type, a backbone element such as `Patient.contact`). */
export function typeDefinition(name: string): TypeDefinition | undefined {
  const known = types.get(name);
  if (known || unknownTypes.has(name)) return known;
  coreDefinitions();
  loadOwner(name);
  const loaded = types.get(name);
  if (!loaded) unknownTypes.add(name);
  return loaded;
}

function choiceSuffix(type: string): string {
  const named = typeDefinition(type)?.constrains ?? type;
  return named[0]?.toUpperCase() + named.slice(1);
}

/**
 * The JSON properties of a type, inherited ones included, by JSON name; undefined for an unknown type.
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
