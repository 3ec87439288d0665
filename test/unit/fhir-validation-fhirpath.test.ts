import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import invariantSources from '#shared/fhir/definitions/generated/r4-invariant-sources.json' with {
  type: 'json',
};
import {
  type Constraint,
  jsonProperties,
  typeAncestry,
  typeDefinition,
} from '#shared/fhir/definitions/r4-definitions';
import { evaluateFhirPath, type FhirPathEnvironment } from '#shared/fhir/validation/fhirpath-evaluator';
import type { FhirPathExpression } from '#shared/fhir/validation/fhirpath-expression';
import { fhirChildren, isFhirType } from '#shared/fhir/validation/fhirpath-model';
import {
  FhirNode,
  type FhirPathItem,
  FhirPathTemporal,
  toBoolean,
} from '#shared/fhir/validation/fhirpath-values';

const testCases = join(import.meta.dirname, '../../../shared/fhir-test-cases');
const sources = invariantSources as Record<string, string>;

function environment(resource: FhirNode, rootResource = resource): FhirPathEnvironment {
  return {
    children: fhirChildren,
    isType: isFhirType,
    constants: { resource: [resource], rootResource: [rootResource], ucum: ['http://unitsofmeasure.org'] },
  };
}

function evaluate(expression: FhirPathExpression, value: unknown, type: string): FhirPathItem[] {
  const node = new FhirNode(value, type);
  return evaluateFhirPath(expression, [node], environment(node));
}

interface Check {
  owner: string;
  constraint: Constraint;
  node: FhirNode;
  resource: FhirNode;
  rootResource: FhirNode;
  where: string;
}

/** Every (element, invariant) pair in a resource, contained resources and Bundle entries included. */
function checksIn(resource: FhirNode, rootResource: FhirNode, where: string, into: Check[]): void {
  const visit = (node: FhirNode, path: string) => {
    for (const type of typeAncestry(node.type)) {
      for (const constraint of typeDefinition(type)?.constraints ?? []) {
        into.push({ owner: type, constraint, node, resource, rootResource, where: path });
      }
    }
    const object = node.value;
    if (typeof object !== 'object' || object === null) return;
    const properties = jsonProperties(node.type);
    for (const key of Object.keys(object)) {
      const property = properties?.get(key);
      const children = fhirChildren(node, property?.name ?? key).filter((c) => c.value !== undefined);
      for (const [i, child] of children.entries()) {
        const at = `${path}.${key}[${i}]`;
        if (property?.type === 'Resource') {
          if (typeDefinition(child.type)) checksIn(child, key === 'contained' ? resource : child, at, into);
          continue;
        }
        const elementKey = property?.name === key ? key : `${property?.name}[x]`;
        const declaring = typeAncestry(node.type).find((t) => typeDefinition(t)?.elements[elementKey]);
        for (const constraint of property?.element.constraints ?? []) {
          into.push({
            owner: `${declaring}.${elementKey}`,
            constraint,
            node: child,
            resource,
            rootResource,
            where: at,
          });
        }
        visit(child, at);
      }
    }
  };
  visit(resource, where);
}

function fhirJsVerdict(check: Check): boolean | undefined {
  const expression = sources[`${check.owner} ${check.constraint.key}`];
  if (!expression) throw new Error(`No source for ${check.owner} ${check.constraint.key}`);
  const base = ['SimpleQuantity', 'MoneyQuantity'].includes(check.node.type) ? 'Quantity' : check.node.type;
  const result = fhirpath.evaluate(
    check.node.value as object,
    { base, expression },
    { resource: check.resource.value, rootResource: check.rootResource.value } as Record<string, unknown>,
    r4Model,
    { traceFn: () => undefined },
  ) as unknown[];
  if (result.length === 0) return undefined;
  return !(result.length === 1 && result[0] === false);
}

function resources(): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const folder of ['examples', 'validator']) {
    for (const file of readdirSync(join(testCases, folder))) {
      if (!file.endsWith('.json') || file === 'manifest.json') continue;
      found.push([`${folder}/${file}`, JSON.parse(readFileSync(join(testCases, folder, file), 'utf8'))]);
    }
  }
  return found;
}

/** Invariants fhirpath.js 5.2 throws on, and why; the evaluator here evaluates them as HL7's validator does. */
const beyondFhirJs: Record<string, string> = {
  'dom-3': 'as() on a collection, which fhirpath.js refuses and HL7 reads as ofType()',
  'eld-16': "a Java-style regex escape (\\@) that JavaScript's Unicode mode rejects",
  'eld-19': 'a Java-style regex escape (\\:), likewise',
  'ras-1': 'decimal arithmetic that fails inside fhirpath.js',
};

describe('the FHIRPath evaluator agrees with HL7 fhirpath.js on R4 invariants', () => {
  const checks: Check[] = [];
  for (const [file, json] of resources()) {
    const type = (json as { resourceType?: string }).resourceType ?? '';
    if (!typeDefinition(type)) continue;
    const node = new FhirNode(json, type);
    checksIn(node, node, file, checks);
  }

  it('on every element of the HL7 examples and validator cases', () => {
    const disagreements: string[] = [];
    const refusedByFhirJs = new Set<string>();
    let compared = 0;
    for (const check of checks) {
      let theirs: boolean | undefined;
      try {
        theirs = fhirJsVerdict(check);
      } catch {
        refusedByFhirJs.add(check.constraint.key);
        continue;
      }
      compared++;
      const ours = toBoolean(
        evaluateFhirPath(
          check.constraint.expression,
          [check.node],
          environment(check.resource, check.rootResource),
        ),
      );
      if (ours !== theirs)
        disagreements.push(`${check.where} ${check.constraint.key}: ours ${ours}, fhirpath.js ${theirs}`);
    }
    console.log(
      `${compared} of ${checks.length} invariant evaluations compared, ${disagreements.length} disagreements;`,
      `fhirpath.js could not evaluate ${[...refusedByFhirJs].join(', ')}`,
    );

    expect(compared).toBeGreaterThan(500);
    expect([...refusedByFhirJs].sort()).toEqual(Object.keys(beyondFhirJs).sort());
    expect(disagreements).toEqual([]);
  });
});

describe('evaluateFhirPath', () => {
  const period = { start: '2023-06-21', end: '2023-06-21T06:20:00Z' };

  it('finds a choice element by its name', () => {
    const observation = { resourceType: 'Observation', valueQuantity: { value: 3, unit: 'mg' } };

    const result = evaluate(['invoke', ['member', 'value'], ['member', 'unit']], observation, 'Observation');

    expect(result.map((n) => (n as FhirNode).value)).toEqual(['mg']);
  });

  it('leaves dates of different precision unordered, as FHIRPath says', () => {
    const result = evaluate(['<=', ['member', 'start'], ['member', 'end']], period, 'Period');

    expect(result).toEqual([]);
  });

  it('orders instants across time zones', () => {
    const later = { start: '2024-01-01T10:00:00+01:00', end: '2024-01-01T09:30:00Z' };

    expect(evaluate(['<', ['member', 'start'], ['member', 'end']], later, 'Period')).toEqual([true]);
  });

  it('treats `is` on a specialised type as its base type', () => {
    const age = { value: 3, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' };

    expect(evaluate(['is', ['$this'], 'Quantity'], age, 'Age')).toEqual([true]);
  });

  it('evaluates three-valued logic', () => {
    expect(evaluate(['or', ['empty'], ['boolean', true]], {}, 'Element')).toEqual([true]);
    expect(evaluate(['and', ['empty'], ['boolean', true]], {}, 'Element')).toEqual([]);
    expect(evaluate(['implies', ['boolean', false], ['empty']], {}, 'Element')).toEqual([true]);
  });

  it('reads dates as temporals', () => {
    const [start] = evaluate(['member', 'start'], period, 'Period');

    expect(start).toBeInstanceOf(FhirNode);
    expect(evaluate(['function', 'hasValue'], (start as FhirNode).value, 'dateTime')).toEqual([true]);
    expect(new FhirPathTemporal('2023-06-21T06:20:00Z', 'date').parts).toEqual([2023, 6, 21, 6, 20, 0]);
  });
});
