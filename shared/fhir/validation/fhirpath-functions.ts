import type { FhirPathExpression } from './fhirpath-expression.ts';
import {
  distinctItems,
  equals,
  FhirNode,
  type FhirPathItem,
  type FhirPathQuantity,
  FhirPathTemporal,
  isPrimitiveType,
  primitiveOf,
  toBoolean,
} from './fhirpath-values.ts';

/** What a function needs from the evaluator: its arguments evaluated, and the model's navigation. */
export interface FunctionScope {
  /** Evaluates a criterion of an iterating function with `item` as $this and `index` as $index. */
  iterate(expression: FhirPathExpression, item: FhirPathItem, index: number): FhirPathItem[];
  /** Evaluates an expression with `items` as its focus and $this. */
  evaluate(expression: FhirPathExpression, items: FhirPathItem[]): FhirPathItem[];
  /** Evaluates an argument of a function that does not iterate, against the enclosing $this. */
  argument(expression: FhirPathExpression): FhirPathItem[];
  /** The node's children, or those of one name. */
  children(node: FhirNode, name?: string): FhirNode[];
  isType(item: FhirPathItem, type: string): boolean;
  /** Descendants already found in this evaluation: dom-3 asks for those of %resource once per contained item. */
  descendants: Map<FhirNode, FhirNode[]>;
}

type FhirPathFunction = (
  input: FhirPathItem[],
  args: FhirPathExpression[],
  scope: FunctionScope,
) => FhirPathItem[];

const regExps = new Map<string, RegExp>();

/** A compiled regex, kept: invariants use the same few again and again. Java-style escapes (`\:`) need no `u`. */
function regExp(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let regex = regExps.get(key);
  if (!regex) {
    regex = new RegExp(source, flags);
    regExps.set(key, regex);
  }
  return regex;
}

function singleString(input: FhirPathItem[]): string | undefined {
  if (input.length !== 1) return undefined;
  const v = primitiveOf(input[0] as FhirPathItem);
  return typeof v === 'string' ? v : undefined;
}

function argument(args: FhirPathExpression[], i: number, scope: FunctionScope) {
  const arg = args[i];
  if (!arg) throw new Error(`Missing argument ${i + 1}`);
  return scope.argument(arg).map((v) => primitiveOf(v));
}

function stringArgument(args: FhirPathExpression[], i: number, scope: FunctionScope) {
  const [v] = argument(args, i, scope);
  return typeof v === 'string' ? v : undefined;
}

function where(input: FhirPathItem[], args: FhirPathExpression[], scope: FunctionScope): FhirPathItem[] {
  const criteria = args[0];
  if (!criteria) return input;
  return input.filter((item, index) => toBoolean(scope.iterate(criteria, item, index)) === true);
}

function single(input: FhirPathItem[]): FhirPathItem[] {
  if (input.length > 1) throw new Error('single() on a collection of several items');
  return input;
}

function typeArgument(args: FhirPathExpression[]): string {
  const arg = args[0];
  if (arg?.[0] !== 'type') throw new Error('Expected a type name');
  return arg[1] as string;
}

function descendants(input: FhirPathItem[], scope: FunctionScope): FhirPathItem[] {
  const result: FhirPathItem[] = [];
  const visit = (node: FhirNode, into: FhirNode[]) => {
    for (const c of scope.children(node)) {
      into.push(c);
      visit(c, into);
    }
  };
  for (const item of input) {
    if (!(item instanceof FhirNode)) continue;
    let found = scope.descendants.get(item);
    if (!found) {
      found = [];
      visit(item, found);
      scope.descendants.set(item, found);
    }
    result.push(...found);
  }
  return result;
}

function stringOf(item: FhirPathItem): string | undefined {
  const v = primitiveOf(item);
  if (v === undefined || v instanceof FhirNode) return undefined;
  if (v instanceof FhirPathTemporal) return v.text;
  if (typeof v === 'object') return `${(v as FhirPathQuantity).value} '${(v as FhirPathQuantity).unit}'`;
  return String(v);
}

function booleans(input: FhirPathItem[]): boolean[] {
  return input.map((i) => primitiveOf(i)).filter((v): v is boolean => typeof v === 'boolean');
}

/** The FHIRPath functions the evaluator knows; an invariant that uses any other is not compiled. */
export const fhirPathFunctions = new Map<string, FhirPathFunction>([
  ['empty', (input) => [input.length === 0]],
  ['exists', (input, args, scope) => [where(input, args, scope).length > 0]],
  ['count', (input) => [input.length]],
  [
    'not',
    (input) => {
      const b = toBoolean(input);
      return b === undefined ? [] : [!b];
    },
  ],
  ['where', where],
  [
    'all',
    (input, args, scope) => [
      input.every(
        (item, index) => toBoolean(scope.iterate(args[0] as FhirPathExpression, item, index)) === true,
      ),
    ],
  ],
  [
    'select',
    (input, args, scope) =>
      input.flatMap((item, index) => scope.iterate(args[0] as FhirPathExpression, item, index)),
  ],
  ['first', (input) => input.slice(0, 1)],
  ['last', (input) => input.slice(-1)],
  ['tail', (input) => input.slice(1)],
  ['single', single],
  ['distinct', distinctItems],
  ['isDistinct', (input) => [distinctItems(input).length === input.length]],
  [
    'children',
    (input, _args, scope) => input.flatMap((i) => (i instanceof FhirNode ? scope.children(i) : [])),
  ],
  ['descendants', (input, _args, scope) => descendants(input, scope)],
  ['ofType', (input, args, scope) => input.filter((i) => scope.isType(i, typeArgument(args)))],
  ['as', (input, args, scope) => input.filter((i) => scope.isType(i, typeArgument(args)))],
  [
    'is',
    (input, args, scope) => {
      if (input.length === 0) return [];
      return [input.length === 1 && scope.isType(input[0] as FhirPathItem, typeArgument(args))];
    },
  ],
  [
    'hasValue',
    (input) => {
      const node = input.length === 1 ? input[0] : undefined;
      return [node instanceof FhirNode && isPrimitiveType(node.type) && node.value !== undefined];
    },
  ],
  ['trace', (input) => input],
  [
    'iif',
    (input, args, scope) => {
      const condition = toBoolean(scope.evaluate(args[0] as FhirPathExpression, input));
      const branch = condition === true ? args[1] : args[2];
      return branch ? scope.evaluate(branch, input) : [];
    },
  ],
  ['combine', (input, args, scope) => [...input, ...scope.argument(args[0] as FhirPathExpression)]],
  [
    'union',
    (input, args, scope) => distinctItems([...input, ...scope.argument(args[0] as FhirPathExpression)]),
  ],
  [
    'intersect',
    (input, args, scope) => {
      const other = scope.argument(args[0] as FhirPathExpression);
      return distinctItems(input.filter((i) => other.some((o) => equals(i, o) === true)));
    },
  ],
  [
    'exclude',
    (input, args, scope) => {
      const other = scope.argument(args[0] as FhirPathExpression);
      return input.filter((i) => !other.some((o) => equals(i, o) === true));
    },
  ],
  ['allTrue', (input) => [booleans(input).every((b) => b)]],
  ['allFalse', (input) => [booleans(input).every((b) => !b)]],
  ['anyTrue', (input) => [booleans(input).some((b) => b)]],
  ['anyFalse', (input) => [booleans(input).some((b) => !b)]],
  [
    'startsWith',
    (input, args, scope) => {
      const s = singleString(input);
      const prefix = stringArgument(args, 0, scope);
      return s === undefined || prefix === undefined ? [] : [s.startsWith(prefix)];
    },
  ],
  [
    'endsWith',
    (input, args, scope) => {
      const s = singleString(input);
      const suffix = stringArgument(args, 0, scope);
      return s === undefined || suffix === undefined ? [] : [s.endsWith(suffix)];
    },
  ],
  [
    'contains',
    (input, args, scope) => {
      const s = singleString(input);
      const part = stringArgument(args, 0, scope);
      return s === undefined || part === undefined ? [] : [s.includes(part)];
    },
  ],
  [
    'matches',
    (input, args, scope) => {
      const s = singleString(input);
      const regex = stringArgument(args, 0, scope);
      return s === undefined || regex === undefined ? [] : [regExp(regex, 's').test(s)];
    },
  ],
  [
    'replaceMatches',
    (input, args, scope) => {
      const s = singleString(input);
      const regex = stringArgument(args, 0, scope);
      const substitution = stringArgument(args, 1, scope);
      if (s === undefined || regex === undefined || substitution === undefined) return [];
      return [s.replace(regExp(regex, 'gs'), substitution)];
    },
  ],
  [
    'substring',
    (input, args, scope) => {
      const s = singleString(input);
      const [start] = argument(args, 0, scope);
      const [length] = args[1] ? argument(args, 1, scope) : [];
      if (s === undefined || typeof start !== 'number' || start < 0 || start >= s.length) return [];
      return [typeof length === 'number' ? s.substring(start, start + length) : s.substring(start)];
    },
  ],
  [
    'length',
    (input) => {
      const s = singleString(input);
      return s === undefined ? [] : [s.length];
    },
  ],
  ['upper', (input) => [singleString(input)?.toUpperCase()].filter((s) => s !== undefined)],
  ['lower', (input) => [singleString(input)?.toLowerCase()].filter((s) => s !== undefined)],
  [
    'toString',
    (input) => {
      const s = input.length === 1 ? stringOf(input[0] as FhirPathItem) : undefined;
      return s === undefined ? [] : [s];
    },
  ],
  [
    'toInteger',
    (input) => {
      if (input.length !== 1) return [];
      const v = primitiveOf(input[0] as FhirPathItem);
      if (typeof v === 'number' && Number.isInteger(v)) return [v];
      if (typeof v === 'boolean') return [v ? 1 : 0];
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return [Number(v)];
      return [];
    },
  ],
  [
    'extension',
    (input, args, scope) => {
      const url = stringArgument(args, 0, scope);
      const extensions = input.flatMap((i) => (i instanceof FhirNode ? scope.children(i, 'extension') : []));
      return extensions.filter((e) => (e.value as { url?: string }).url === url);
    },
  ],
]);
