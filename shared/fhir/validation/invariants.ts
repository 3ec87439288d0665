import type { Constraint } from '../definitions/r4-definitions.ts';
import { typeAncestry, typeDefinition } from '../definitions/r4-definitions.ts';
import type { Issue } from '../operation-outcome.ts';
import { evaluateFhirPath, type FhirPathEnvironment } from './fhirpath-evaluator.ts';
import { fhirChildren, isFhirType } from './fhirpath-model.ts';
import { type FhirNode, toBoolean } from './fhirpath-values.ts';

/** The resources an invariant may refer to as `%resource` and `%rootResource`. */
export interface ResourceScope {
  resource: FhirNode;
  rootResource: FhirNode;
}

const ucum = ['http://unitsofmeasure.org'];

/** The invariants of a type: its own and those it inherits (Quantity's for an Age, DomainResource's). */
export function typeConstraints(typeName: string): Constraint[] {
  return typeAncestry(typeName).flatMap((t) => typeDefinition(t)?.constraints ?? []);
}

/**
 * Evaluates invariants on one element and adds an issue for each that fails.
 * An invariant holds only when it evaluates to `true`: empty (as when dates of different precision are
 * compared) fails, as in HL7's validator. One that cannot be evaluated is not reported.
 */
export function checkInvariants(
  node: FhirNode,
  constraints: Constraint[],
  path: string,
  scope: ResourceScope,
  issues: Issue[],
): void {
  if (constraints.length === 0) return;
  const environment: FhirPathEnvironment = {
    children: fhirChildren,
    isType: isFhirType,
    constants: {
      resource: [scope.resource],
      rootResource: [scope.rootResource],
      context: [node],
      ucum,
    },
  };
  for (const constraint of constraints) {
    let holds: boolean | undefined;
    try {
      holds = toBoolean(evaluateFhirPath(constraint.expression, [node], environment));
    } catch {
      continue;
    }
    if (holds !== true) {
      issues.push({
        severity: 'error',
        code: 'invariant',
        diagnostics: `Constraint failed: ${constraint.key}: '${constraint.human}'`,
        expression: [path],
      });
    }
  }
}
