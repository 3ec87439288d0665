/**
 * A FHIRPath expression compiled at build time into a small syntax tree, so the Lambda needs no parser.
 * `scripts/compile-fhir-definitions.ts` builds these trees from HL7's own FHIRPath parser.
 */
export type FhirPathExpression =
  /** A child of the focus, e.g. `status`. */
  | ['member', string]
  /** The first name of a path: a type name (`Patient.name`) selects the focus if it is of that type. */
  | ['root', string]
  /** `left.right`: `right` (a member or function) evaluated on the result of `left`. */
  | ['invoke', FhirPathExpression, FhirPathExpression]
  /** A function on the focus, e.g. `exists(code)`. Type arguments (`is`, `as`, `ofType`) are `['type', name]`. */
  | ['function', string, ...FhirPathExpression[]]
  | ['type', string]
  | ['string', string]
  | ['number', number]
  | ['boolean', boolean]
  | ['date', string]
  | ['dateTime', string]
  | ['time', string]
  | ['quantity', number, string]
  | ['empty']
  /** `%resource`, `%rootResource`, `%ucum`, `%context`. */
  | ['constant', string]
  | ['$this']
  | ['$index']
  | ['$total']
  | ['index', FhirPathExpression, FhirPathExpression]
  | ['negate', FhirPathExpression]
  | ['is', FhirPathExpression, string]
  | ['as', FhirPathExpression, string]
  | [FhirPathOperator, FhirPathExpression, FhirPathExpression];

export type FhirPathOperator =
  | 'and'
  | 'or'
  | 'xor'
  | 'implies'
  | '='
  | '!='
  | '~'
  | '!~'
  | '<'
  | '<='
  | '>'
  | '>='
  | '|'
  | 'in'
  | 'contains'
  | '+'
  | '-'
  | '&'
  | '*'
  | '/'
  | 'div'
  | 'mod';
