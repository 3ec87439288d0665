import {
  type Constraint,
  isResourceType,
  type JsonProperty,
  jsonProperties,
} from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';
import { checkAttachmentSize } from './attachment-size.ts';
import { checkBundleRules } from './bundle-rules.ts';
import { FhirNode, isPrimitiveType } from './fhirpath-values.ts';
import { checkInvariants, type ResourceScope, typeConstraints } from './invariants.ts';
import { checkPrimitive } from './primitive-values.ts';
import { checkReferenceTarget } from './reference-targets.ts';
import { checkRequiredBinding } from './required-bindings.ts';
import { checkCanonical, checkCodingSystem } from './uri-rules.ts';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const requiredByType = new Map<string, { name: string; min: number }[]>();

/** The elements of a type with a minimum cardinality above 0. */
function requiredElements(typeName: string, properties: Map<string, JsonProperty>) {
  let required = requiredByType.get(typeName);
  if (!required) {
    const byName = new Map<string, number>();
    for (const p of properties.values()) if (p.element.min) byName.set(p.name, p.element.min);
    required = [...byName].map(([name, min]) => ({ name, min }));
    requiredByType.set(typeName, required);
  }
  return required;
}

const constraintsByType = new Map<string, Constraint[]>();

function constraintsOf(typeName: string): Constraint[] {
  let constraints = constraintsByType.get(typeName);
  if (!constraints) {
    constraints = typeConstraints(typeName);
    constraintsByType.set(typeName, constraints);
  }
  return constraints;
}

/** Walks one resource against the compiled definitions, adding an issue for each problem found. */
class ResourceWalker {
  constructor(
    private readonly scope: ResourceScope,
    private readonly issues: Issue[],
  ) {}

  private problem(code: Issue['code'], diagnostics: string, path: string): void {
    this.issues.push({ severity: 'error', code, diagnostics, expression: [path] });
  }

  /** The elements of an object of a complex type, a backbone element or a resource. */
  object(value: JsonObject, typeName: string, path: string, isResource: boolean): void {
    const properties = jsonProperties(typeName);
    if (!properties) return;
    let hasContent = false;
    const found = new Map<string, string>();
    for (const key of Object.keys(value)) {
      if (key === 'resourceType' && isResource) continue;
      if (key !== 'id') hasContent = true;
      const isPrimitiveElement = key.startsWith('_');
      const jsonName = isPrimitiveElement ? key.slice(1) : key;
      const property = properties.get(jsonName);
      if (!property || (isPrimitiveElement && !isPrimitiveType(property.type))) {
        this.problem('structure', `Unrecognized element '${key}'`, `${path}.${key}`);
        continue;
      }
      // A primitive's `_name` twin is checked with its value.
      if (isPrimitiveElement && value[jsonName] !== undefined) continue;
      const earlier = found.get(property.name);
      if (earlier !== undefined && earlier !== jsonName) {
        this.problem(
          'structure',
          `Only one of ${property.name}[x] may be present, but both ${earlier} and ${jsonName} are`,
          `${path}.${property.name}`,
        );
        continue;
      }
      found.set(property.name, jsonName);
      const elementPath =
        jsonName === property.name
          ? `${path}.${jsonName}`
          : `${path}.${property.name}.ofType(${property.type})`;
      this.property(
        isPrimitiveElement ? undefined : value[jsonName],
        value[`_${jsonName}`],
        property,
        elementPath,
      );
    }
    if (!isResource && !hasContent) {
      this.problem(
        'structure',
        'An element must have a value or children: empty objects are not allowed (ele-1)',
        path,
      );
    }
    for (const { name, min } of requiredElements(typeName, properties)) {
      if (!found.has(name)) {
        this.problem(
          'required',
          `Missing required element '${name}' (minimum cardinality ${min})`,
          `${path}.${name}`,
        );
      }
    }
  }

  /** One JSON property: the FHIR JSON array rules and cardinality, then each value. */
  private property(raw: unknown, extra: unknown, property: JsonProperty, path: string): void {
    const { element } = property;
    if (element.max === 0) {
      this.problem('structure', `The element '${property.name}' is not allowed here`, path);
      return;
    }
    if (!property.array) {
      if (Array.isArray(raw) || Array.isArray(extra)) {
        this.problem(
          'structure',
          `'${property.name}' must be a single value, not an array (maximum cardinality 1)`,
          path,
        );
        return;
      }
      this.value(raw, extra, property, path);
      return;
    }
    if ((raw !== undefined && !Array.isArray(raw)) || (extra !== undefined && !Array.isArray(extra))) {
      this.problem(
        'structure',
        `'${property.name}' must be a JSON array (maximum cardinality ${element.max})`,
        path,
      );
      return;
    }
    const values = (raw ?? []) as unknown[];
    const extras = (extra ?? []) as unknown[];
    if ((raw !== undefined && values.length === 0) || (extra !== undefined && extras.length === 0)) {
      this.problem('structure', 'An array must not be empty: leave the element out instead', path);
      return;
    }
    if (raw !== undefined && extra !== undefined && values.length !== extras.length) {
      this.problem(
        'structure',
        `'${property.name}' and '_${property.name}' must be arrays of the same length`,
        path,
      );
    }
    const count = Math.max(values.length, extras.length);
    if (typeof element.max === 'number' && count > element.max) {
      this.problem(
        'structure',
        `'${property.name}' allows at most ${element.max} values, but has ${count}`,
        path,
      );
    }
    for (let i = 0; i < count; i++) this.value(values[i], extras[i], property, `${path}[${i}]`);
  }

  /** One value of an element, by its type. */
  private value(value: unknown, extra: unknown, property: JsonProperty, path: string): void {
    const { type, element } = property;
    if (isPrimitiveType(type)) {
      const hasExtra = extra !== undefined && extra !== null;
      if (value === null && !hasExtra) this.problem('structure', 'null is not allowed in FHIR JSON', path);
      if (value !== undefined && value !== null) {
        checkPrimitive(value, type, path, this.issues);
        if (type === 'canonical') checkCanonical(value, path, this.issues);
        if (element.binding) checkRequiredBinding(value, type, element.binding, path, this.issues);
      }
      if (extra === null && value === undefined) {
        this.problem('structure', 'null is not allowed in FHIR JSON', path);
      } else if (hasExtra) {
        if (isObject(extra)) this.object(extra, 'Element', path, false);
        else
          this.problem(
            'structure',
            `The primitive's extensions must be an object, not ${describe(extra)}`,
            path,
          );
      }
      if (element.constraints) {
        const node = new FhirNode(value ?? undefined, type, isObject(extra) ? extra : undefined);
        checkInvariants(node, element.constraints, path, this.scope, this.issues);
      }
      return;
    }
    if (value === undefined) return;
    if (value === null) {
      this.problem('structure', 'null is not allowed in FHIR JSON', path);
      return;
    }
    if (type === 'Resource') {
      nestedResource(value, path, this.scope, property.name === 'contained', this.issues);
      return;
    }
    if (!isObject(value)) {
      this.problem('structure', `A ${type} must be a JSON object, not ${describe(value)}`, path);
      return;
    }
    this.object(value, type, path, false);
    if (element.binding) checkRequiredBinding(value, type, element.binding, path, this.issues);
    if (element.targets) checkReferenceTarget(value, element.targets, path, this.issues);
    if (type === 'Attachment') checkAttachmentSize(value, path, this.issues);
    if (type === 'Coding') checkCodingSystem(value, path, this.issues);
    const node = new FhirNode(value, type);
    checkInvariants(node, constraintsOf(type), path, this.scope, this.issues);
    if (element.constraints) checkInvariants(node, element.constraints, path, this.scope, this.issues);
  }
}

/**
 * Validates a resource of a compiled type, given as a JSON object with its `resourceType`.
 * `container` is the resource that holds it when it is contained (the `%rootResource` of its invariants).
 */
export function validateCompiledResource(
  resource: JsonObject,
  path: string,
  issues: Issue[],
  container?: FhirNode,
): void {
  const type = resource.resourceType as string;
  const node = new FhirNode(resource, type);
  const scope: ResourceScope = { resource: node, rootResource: container ?? node };
  new ResourceWalker(scope, issues).object(resource, type, path, true);
  checkInvariants(node, constraintsOf(type), path, scope, issues);
  if (type === 'Bundle') checkBundleRules(resource, path, issues);
}

/** A resource inside another: contained, a Bundle entry, a Parameters part. */
function nestedResource(
  value: unknown,
  path: string,
  scope: ResourceScope,
  contained: boolean,
  issues: Issue[],
) {
  const problem = (code: Issue['code'], diagnostics: string) =>
    issues.push({ severity: 'error', code, diagnostics, expression: [path] });
  if (!isObject(value)) {
    problem('structure', `A resource must be a JSON object, not ${describe(value)}`);
    return;
  }
  const type = value.resourceType;
  if (typeof type !== 'string') {
    problem('required', 'A resource must have a resourceType');
  } else if (!isResourceType(type)) {
    problem('structure', `'${type}' is not an R4 resource type`);
  } else {
    validateCompiledResource(value, path, issues, contained ? scope.resource : undefined);
  }
}
