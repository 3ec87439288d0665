import { isResourceType, jsonProperties, typeAncestry } from '../definitions/r4-definitions.ts';
import { FhirNode, type FhirPathItem, FhirPathTemporal, isPrimitiveType } from './fhirpath-values.ts';

/** FHIR primitive types and the primitive they specialise, for `is` and `ofType`. */
const primitiveParents: Record<string, string> = {
  code: 'string',
  id: 'string',
  markdown: 'string',
  url: 'uri',
  canonical: 'uri',
  uuid: 'uri',
  oid: 'uri',
  positiveInt: 'integer',
  unsignedInt: 'integer',
};

/** Resource types that are not DomainResources. */
const plainResources = new Set(['Bundle', 'Binary', 'Parameters']);

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The type of a value found where the definitions say nothing (inside an element of an unknown type). */
function untypedType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'decimal';
  if (typeof v === 'boolean') return 'boolean';
  if (isObject(v) && typeof v.resourceType === 'string') return v.resourceType;
  return '';
}

/** The nodes of one JSON property: its values, with their `_name` primitive extensions alongside. */
function propertyNodes(object: JsonObject, key: string, type: string | undefined): FhirNode[] {
  const raw = object[key];
  const extra = object[`_${key}`];
  const nodes: FhirNode[] = [];
  const add = (v: unknown, e: unknown) => {
    const value = v ?? undefined;
    const element = isObject(e) ? e : undefined;
    if (value === undefined && element === undefined) return;
    const t = type === undefined ? untypedType(value) : type === 'Resource' ? untypedType(value) : type;
    nodes.push(new FhirNode(value, t, element));
  };
  if (Array.isArray(raw) || Array.isArray(extra)) {
    const length = Math.max(Array.isArray(raw) ? raw.length : 0, Array.isArray(extra) ? extra.length : 0);
    for (let i = 0; i < length; i++) {
      add(Array.isArray(raw) ? raw[i] : undefined, Array.isArray(extra) ? extra[i] : undefined);
    }
  } else {
    add(raw, extra);
  }
  return nodes;
}

function primitiveChildren(node: FhirNode, name: string | undefined): FhirNode[] {
  const element = node.primitiveElement;
  if (!element) return [];
  const nodes: FhirNode[] = [];
  if (name === undefined || name === 'id') nodes.push(...propertyNodes(element, 'id', 'string'));
  if (name === undefined || name === 'extension')
    nodes.push(...propertyNodes(element, 'extension', 'Extension'));
  return nodes;
}

/**
 * The children of a node, or those of one element name, typed from the compiled R4 definitions.
 * A choice is found by its element name: `value` finds `valueQuantity`.
 */
export function fhirChildren(node: FhirNode, name?: string): FhirNode[] {
  const object = node.value;
  if (!isObject(object)) return primitiveChildren(node, name);
  const properties = jsonProperties(node.type);
  const nodes: FhirNode[] = [];
  for (const key of Object.keys(object)) {
    if (key === 'resourceType') continue;
    const jsonName = key.startsWith('_') ? key.slice(1) : key;
    // A primitive with both a value and extensions is one node, made from its value's key.
    if (key !== jsonName && object[jsonName] !== undefined) continue;
    const property = properties?.get(jsonName);
    const elementName = property ? property.name : jsonName;
    if (name !== undefined && elementName !== name) continue;
    nodes.push(...propertyNodes(object, jsonName, properties ? (property?.type ?? '') : undefined));
  }
  return nodes;
}

function itemType(item: FhirPathItem): string {
  if (item instanceof FhirNode) return item.type;
  if (typeof item === 'string') return 'String';
  if (typeof item === 'boolean') return 'Boolean';
  if (typeof item === 'number') return Number.isInteger(item) ? 'Integer' : 'Decimal';
  if (item instanceof FhirPathTemporal) return item.kind === 'time' ? 'Time' : 'DateTime';
  return 'Quantity';
}

/** Whether an item is of a type or of a type derived from it (`Age` is a `Quantity`, `Patient` a `Resource`). */
export function isFhirType(item: FhirPathItem, type: string): boolean {
  const own = itemType(item);
  if (own === type) return true;
  if (isPrimitiveType(own)) {
    for (let t = primitiveParents[own]; t; t = primitiveParents[t]) if (t === type) return true;
    return false;
  }
  if (isResourceType(own)) {
    return type === 'Resource' || (type === 'DomainResource' && !plainResources.has(own));
  }
  return typeAncestry(own).includes(type);
}
