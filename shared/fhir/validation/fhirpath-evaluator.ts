import type { FhirPathExpression } from './fhirpath-expression.ts';
import { type FunctionScope, fhirPathFunctions } from './fhirpath-functions.ts';
import {
  compare,
  distinctItems,
  equals,
  equivalent,
  FhirNode,
  type FhirPathItem,
  FhirPathTemporal,
  primitiveOf,
  toBoolean,
} from './fhirpath-values.ts';

/** What an expression is evaluated against: the model's navigation and the `%` constants. */
export interface FhirPathEnvironment {
  children(node: FhirNode, name?: string): FhirNode[];
  isType(item: FhirPathItem, type: string): boolean;
  constants: Record<string, FhirPathItem[]>;
}

/**
 * Evaluates a compiled FHIRPath expression: the subset of FHIRPath that the R4 invariants use.
 * Throws on what it cannot evaluate (an unknown function, a collection where one item is needed).
 * @example evaluateFhirPath(['function', 'exists'], [node], environment) // [true]
 */
export function evaluateFhirPath(
  expression: FhirPathExpression,
  focus: FhirPathItem[],
  environment: FhirPathEnvironment,
): FhirPathItem[] {
  let index: number | undefined;
  // $this: the item an iterating function (where, select, all) is on, else the expression's focus.
  let self: FhirPathItem[] = focus;
  const withThis = (items: FhirPathItem[], i: number | undefined, e: FhirPathExpression) => {
    const [outerThis, outerIndex] = [self, index];
    [self, index] = [items, i];
    try {
      return evaluate(e, items);
    } finally {
      [self, index] = [outerThis, outerIndex];
    }
  };
  const scope: FunctionScope = {
    iterate: (e, item, i) => withThis([item], i, e),
    evaluate: (e, items) => withThis(items, undefined, e),
    argument: (e) => evaluate(e, self),
    children: environment.children,
    isType: environment.isType,
    descendants: new Map(),
  };

  function member(input: FhirPathItem[], name: string): FhirPathItem[] {
    return input.flatMap((item) => (item instanceof FhirNode ? environment.children(item, name) : []));
  }

  function invocation(e: FhirPathExpression, input: FhirPathItem[]): FhirPathItem[] {
    if (e[0] === 'member') return member(input, e[1]);
    return evaluate(e, input);
  }

  function evaluate(e: FhirPathExpression, input: FhirPathItem[]): FhirPathItem[] {
    switch (e[0]) {
      case 'member':
        return member(input, e[1]);
      case 'root': {
        const typed = input.filter((i) => environment.isType(i, e[1]));
        return typed.length > 0 ? typed : member(input, e[1]);
      }
      case 'invoke':
        return invocation(e[2], evaluate(e[1], input));
      case 'function': {
        const fn = fhirPathFunctions.get(e[1]);
        if (!fn) throw new Error(`FHIRPath function ${e[1]}() is not supported`);
        return fn(input, e.slice(2) as FhirPathExpression[], scope);
      }
      case 'string':
      case 'number':
      case 'boolean':
        return [e[1]];
      case 'date':
      case 'dateTime':
        return [new FhirPathTemporal(e[1], 'date')];
      case 'time':
        return [new FhirPathTemporal(e[1], 'time')];
      case 'quantity':
        return [{ value: e[1], unit: e[2] }];
      case 'empty':
        return [];
      case 'constant': {
        const value = environment.constants[e[1]];
        if (!value) throw new Error(`FHIRPath constant %${e[1]} is not defined`);
        return value;
      }
      case '$this':
        return self;
      case '$index':
        return index === undefined ? [] : [index];
      case 'index': {
        const [i] = evaluate(e[2], input).map(primitiveOf);
        const item = typeof i === 'number' ? evaluate(e[1], input)[i] : undefined;
        return item === undefined ? [] : [item];
      }
      case 'negate':
        return evaluate(e[1], input).map((v) => {
          const p = primitiveOf(v);
          if (typeof p === 'number') return -p;
          if (p && typeof p === 'object' && 'unit' in p) return { value: -p.value, unit: p.unit };
          throw new Error('Cannot negate a non-number');
        });
      case 'is': {
        const items = evaluate(e[1], input);
        if (items.length === 0) return [];
        return [items.length === 1 && environment.isType(items[0] as FhirPathItem, e[2])];
      }
      case 'as':
        return evaluate(e[1], input).filter((i) => environment.isType(i, e[2]));
      case 'type':
      case '$total':
        throw new Error(`FHIRPath ${e[0]} is not supported here`);
      default:
        return operator(e[0], e[1], e[2], input);
    }
  }

  function logical(op: string, left: FhirPathExpression, right: FhirPathExpression, input: FhirPathItem[]) {
    const a = toBoolean(evaluate(left, input));
    // Short-circuit as FHIRPath allows, which also keeps errors on the other side from counting.
    if (op === 'and' && a === false) return [false];
    if (op === 'or' && a === true) return [true];
    if (op === 'implies' && a === false) return [true];
    const b = toBoolean(evaluate(right, input));
    let result: boolean | undefined;
    switch (op) {
      case 'and':
        result = b === false ? false : a === true && b === true ? true : undefined;
        break;
      case 'or':
        result = b === true ? true : a === false && b === false ? false : undefined;
        break;
      case 'xor':
        result = a === undefined || b === undefined ? undefined : a !== b;
        break;
      default:
        result = b === true ? true : a === true && b === false ? false : undefined;
    }
    return result === undefined ? [] : [result];
  }

  function operator(
    op: string,
    left: FhirPathExpression,
    right: FhirPathExpression,
    input: FhirPathItem[],
  ): FhirPathItem[] {
    if (op === 'and' || op === 'or' || op === 'xor' || op === 'implies')
      return logical(op, left, right, input);
    const a = evaluate(left, input);
    const b = evaluate(right, input);
    switch (op) {
      case '|':
        return distinctItems([...a, ...b]);
      case '=':
      case '!=': {
        if (a.length === 0 || b.length === 0) return [];
        let same: boolean | undefined = a.length === b.length;
        for (let i = 0; same && i < a.length; i++) same = equals(a[i] as FhirPathItem, b[i] as FhirPathItem);
        if (same === undefined) return [];
        return [op === '=' ? same : !same];
      }
      case '~':
      case '!~': {
        const same = a.length === b.length && a.every((v, i) => equivalent(v, b[i] as FhirPathItem));
        return [op === '~' ? same : !same];
      }
      case 'in':
      case 'contains': {
        const [item, collection] = op === 'in' ? [a, b] : [b, a];
        if (item.length === 0) return [];
        if (item.length > 1) throw new Error(`${op} needs a single item`);
        return [collection.some((c) => equals(c, item[0] as FhirPathItem) === true)];
      }
      case '&':
        return [a.map(primitiveOf).join('') + b.map(primitiveOf).join('')];
    }
    if (a.length === 0 || b.length === 0) return [];
    if (a.length > 1 || b.length > 1) throw new Error(`${op} needs single items`);
    const x = a[0] as FhirPathItem;
    const y = b[0] as FhirPathItem;
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      const c = compare(x, y);
      if (c === undefined) return [];
      return [op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0];
    }
    return arithmetic(op, primitiveOf(x), primitiveOf(y));
  }

  return evaluate(expression, focus);
}

function arithmetic(op: string, x: unknown, y: unknown): FhirPathItem[] {
  if (op === '+' && typeof x === 'string' && typeof y === 'string') return [x + y];
  if (typeof x !== 'number' || typeof y !== 'number') throw new Error(`${op} needs numbers`);
  switch (op) {
    case '+':
      return [x + y];
    case '-':
      return [x - y];
    case '*':
      return [x * y];
    case '/':
      return y === 0 ? [] : [x / y];
    case 'div':
      return y === 0 ? [] : [Math.trunc(x / y)];
    case 'mod':
      return y === 0 ? [] : [x % y];
    default:
      throw new Error(`FHIRPath operator ${op} is not supported`);
  }
}
