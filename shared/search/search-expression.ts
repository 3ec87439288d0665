import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterDefinition } from '../fhir/definitions/search-parameters.ts';
import { evaluateFhirPath, type FhirPathEnvironment } from '../fhir/validation/fhirpath-evaluator.ts';
import type { FhirPathExpression, FhirPathOperator } from '../fhir/validation/fhirpath-expression.ts';
import { fhirChildren, isFhirType } from '../fhir/validation/fhirpath-model.ts';
import { FhirNode, type FhirPathItem } from '../fhir/validation/fhirpath-values.ts';

/*
 * Search parameter definitions carry their FHIRPath as text, and the evaluator takes compiled trees that are
 * otherwise made at build time by HL7's parser. The expressions of R4 search parameters use a small part of
 * FHIRPath (paths, `|`, `as`, `where`, `exists`, comparisons), so they are parsed here, once each, into the
 * same trees.
 */

type Token = { kind: 'identifier' | 'string' | 'number' | 'symbol' | 'constant' | 'date'; text: string };

const symbols = [
  '<=',
  '>=',
  '!=',
  '!~',
  '=',
  '~',
  '<',
  '>',
  '|',
  '&',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '{',
  '}',
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (close: string): string => {
    let text = '';
    for (i++; i < source.length && source[i] !== close; i++) {
      if (source[i] === '\\') {
        i++;
        const c = source[i] ?? '';
        text += ({ n: '\n', r: '\r', t: '\t', f: '\f' } as Record<string, string>)[c] ?? c;
      } else text += source[i];
    }
    if (i >= source.length) throw new Error(`Unterminated ${close} in FHIRPath: ${source}`);
    i++;
    return text;
  };
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^\$(this|index|total)/.exec(rest);
    const number = /^\d+(\.\d+)?/.exec(rest);
    const date = /^@[0-9T:.+\-Z]+/.exec(rest);
    if (word) {
      tokens.push({ kind: 'identifier', text: word[0] });
      i += word[0].length;
    } else if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
    } else if (date) {
      tokens.push({ kind: 'date', text: date[0].slice(1) });
      i += date[0].length;
    } else if (source[i] === "'") {
      tokens.push({ kind: 'string', text: quoted("'") });
    } else if (source[i] === '`') {
      tokens.push({ kind: 'identifier', text: quoted('`') });
    } else if (source[i] === '%') {
      i++;
      let name: string;
      if (source[i] === "'") name = quoted("'");
      else {
        name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))?.[0] ?? '';
        i += name.length;
      }
      tokens.push({ kind: 'constant', text: name });
    } else {
      const symbol = symbols.find((s) => rest.startsWith(s));
      if (!symbol) throw new Error(`Unexpected '${source[i]}' in FHIRPath: ${source}`);
      tokens.push({ kind: 'symbol', text: symbol });
      i += symbol.length;
    }
  }
  return tokens;
}

/** Binary operators by FHIRPath precedence, loosest first. */
const precedence: Record<string, number> = {
  implies: 1,
  or: 2,
  xor: 2,
  and: 3,
  in: 4,
  contains: 4,
  '=': 5,
  '~': 5,
  '!=': 5,
  '!~': 5,
  '<': 6,
  '>': 6,
  '<=': 6,
  '>=': 6,
  '|': 7,
  is: 8,
  as: 8,
  '+': 9,
  '-': 9,
  '&': 9,
  '*': 10,
  '/': 10,
  div: 10,
  mod: 10,
};

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): FhirPathExpression {
    const expression = this.expression(1);
    if (this.peek()) this.fail(`unexpected '${this.peek()?.text}'`);
    return expression;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) this.fail('unexpected end');
    return token as Token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind !== 'symbol') this.fail(`expected '${text}'`);
  }

  private fail(problem: string): never {
    throw new Error(`FHIRPath ${problem}: ${this.source}`);
  }

  private operator(): string | undefined {
    const token = this.peek();
    if (!token || (token.kind !== 'symbol' && token.kind !== 'identifier')) return undefined;
    return precedence[token.text] === undefined ? undefined : token.text;
  }

  private expression(minimum: number): FhirPathExpression {
    let left = this.unary();
    for (let op = this.operator(); op && (precedence[op] as number) >= minimum; op = this.operator()) {
      this.position++;
      if (op === 'is' || op === 'as') {
        const type = this.typeName();
        left = op === 'is' ? ['is', left, type] : ['as', left, type];
        continue;
      }
      const right = this.expression((precedence[op] as number) + 1);
      left = [op as FhirPathOperator, left, right];
    }
    return left;
  }

  private unary(): FhirPathExpression {
    const token = this.peek();
    if (token?.kind === 'symbol' && (token.text === '-' || token.text === '+')) {
      this.position++;
      const operand = this.unary();
      return token.text === '-' ? ['negate', operand] : operand;
    }
    let term = this.term();
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'symbol' && t.text === '.') {
        this.position++;
        term = ['invoke', term, this.invocation(false)];
      } else if (t?.kind === 'symbol' && t.text === '[') {
        this.position++;
        const index = this.expression(1);
        this.expect(']');
        term = ['index', term, index];
      } else return term;
    }
  }

  private term(): FhirPathExpression {
    const token = this.peek() ?? this.fail('unexpected end');
    switch (token.kind) {
      case 'string':
        this.position++;
        return ['string', token.text];
      case 'number':
        this.position++;
        return ['number', Number(token.text)];
      case 'date':
        this.position++;
        return [
          token.text.startsWith('T') ? 'time' : token.text.includes('T') ? 'dateTime' : 'date',
          token.text,
        ];
      case 'constant':
        this.position++;
        return ['constant', token.text];
      case 'symbol':
        if (token.text === '(') {
          this.position++;
          const inner = this.expression(1);
          this.expect(')');
          return inner;
        }
        if (token.text === '{') {
          this.position++;
          this.expect('}');
          return ['empty'];
        }
        return this.fail(`unexpected '${token.text}'`);
      default:
        if (token.text === 'true' || token.text === 'false') {
          this.position++;
          return ['boolean', token.text === 'true'];
        }
        return this.invocation(true);
    }
  }

  private invocation(atRoot: boolean): FhirPathExpression {
    const token = this.next();
    if (token.kind !== 'identifier') this.fail(`expected a name, found '${token.text}'`);
    if (token.text === '$this') return ['$this'];
    if (token.text === '$index') return ['$index'];
    if (token.text === '$total') return ['$total'];
    const open = this.peek();
    if (open?.kind !== 'symbol' || open.text !== '(') {
      return atRoot && /^[A-Z]/.test(token.text) ? ['root', token.text] : ['member', token.text];
    }
    this.position++;
    const args: FhirPathExpression[] = [];
    const typed = ['is', 'as', 'ofType'].includes(token.text);
    while (this.peek()?.text !== ')') {
      args.push(typed ? ['type', this.typeName()] : this.expression(1));
      if (this.peek()?.text === ',') this.position++;
    }
    this.expect(')');
    return ['function', token.text, ...args];
  }

  /** A type specifier, `Quantity` or `FHIR.Quantity`, without its namespace. */
  private typeName(): string {
    let name = this.next().text;
    while (this.peek()?.text === '.' && this.peek(1)?.kind === 'identifier') {
      this.position++;
      name = this.next().text;
    }
    return name;
  }
}

/**
 * Search expressions test a reference's target with `resolve() is Patient`. Resolving would need a read per
 * reference; the reference's own text (`Patient/…`, or an absolute URL ending so) or its `type` says the same.
 */
function withoutResolve(expression: string): string {
  return expression.replace(
    /resolve\(\)\s+is\s+([A-Za-z]+)/g,
    (_, type: string) =>
      `(type = '${type}' or reference.startsWith('${type}/') or reference.contains('/${type}/'))`,
  );
}

/**
 * Compiles FHIRPath text into the tree the evaluator takes. Throws on syntax it does not know.
 * @example compileFhirPath("Patient.telecom.where(system='email')")
 */
export function compileFhirPath(expression: string): FhirPathExpression {
  const source = withoutResolve(expression);
  return new Parser(tokenize(source), expression).parse();
}

const compiled = new Map<string, FhirPathExpression>();

/**
 * The items a search parameter's expression selects from a resource: its elements as FHIRPath nodes
 * (with their FHIR types, so `as(Period)` and friends work), or primitives an expression computes.
 * Each expression is compiled once and kept.
 * @example searchItems(observation, searchParameter('Observation', 'code')!) // [FhirNode { type: 'CodeableConcept' }]
 */
export function searchItems(resource: Resource, parameter: SearchParameterDefinition): FhirPathItem[] {
  let expression = compiled.get(parameter.expression);
  if (!expression) {
    expression = compileFhirPath(parameter.expression);
    compiled.set(parameter.expression, expression);
  }
  const root = new FhirNode(resource, resource.resourceType);
  const environment: FhirPathEnvironment = {
    children: fhirChildren,
    isType: isFhirType,
    constants: {
      resource: [root],
      rootResource: [root],
      context: [root],
      ucum: ['http://unitsofmeasure.org'],
    },
  };
  return evaluateFhirPath(expression, [root], environment);
}
