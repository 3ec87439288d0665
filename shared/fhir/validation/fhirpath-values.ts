/** An element of a resource as FHIRPath sees it: its JSON value and its FHIR type. */
export class FhirNode {
  constructor(
    /** The JSON value; undefined for a primitive that carries only extensions. */
    readonly value: unknown,
    /** A FHIR type name (`code`, `Quantity`, `Observation`) or a backbone path (`Observation.component`). */
    readonly type: string,
    /** A primitive's `_name` object (`id`, `extension`). */
    readonly primitiveElement?: Record<string, unknown>,
  ) {}
}

/** A date, dateTime, instant or time, kept with its precision as FHIRPath compares them. */
export class FhirPathTemporal {
  /** Year, month, day, hour, minute, second (with fraction): as many as the text gives. */
  readonly parts: number[];
  /** Offset from UTC in minutes, when the value has one. */
  readonly offset: number | undefined;

  constructor(
    readonly text: string,
    readonly kind: 'date' | 'time',
  ) {
    const m =
      kind === 'date'
        ? /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?)?)?(Z|[+-]\d{2}:\d{2})?/.exec(
            text,
          )
        : /^()()()(\d{2})(?::(\d{2})(?::(\d{2}(?:\.\d+)?))?)?()/.exec(text);
    const fields = (m ?? []).slice(1, 7).filter((f) => f !== undefined && f !== '');
    this.parts = fields.map(Number);
    const zone = m?.[7];
    this.offset = !zone
      ? undefined
      : zone === 'Z'
        ? 0
        : Number(zone.slice(0, 3)) * 60 + Number(zone.slice(4, 6));
  }

  /** Milliseconds since the epoch, for values precise to the second. */
  get epochMillis(): number {
    const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = this.parts;
    return Date.UTC(y, mo - 1, d, h, mi, 0, Math.round(s * 1000)) - (this.offset ?? 0) * 60_000;
  }
}

export interface FhirPathQuantity {
  value: number;
  unit: string;
}

/** One item of a FHIRPath collection. */
export type FhirPathItem = FhirNode | string | number | boolean | FhirPathTemporal | FhirPathQuantity;

const numberTypes = new Set(['integer', 'decimal', 'positiveInt', 'unsignedInt', 'integer64']);
const dateTypes = new Set(['date', 'dateTime', 'instant']);
/** The FHIR types FHIR JSON writes as strings and FHIRPath treats as String. */
export const stringTypes = new Set([
  'string',
  'code',
  'id',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'markdown',
  'base64Binary',
  'xhtml',
]);
/** Quantity and the types that specialise or constrain it. */
export const quantityTypes = new Set([
  'Quantity',
  'Age',
  'Count',
  'Distance',
  'Duration',
  'SimpleQuantity',
  'MoneyQuantity',
]);

export function isPrimitiveType(type: string): boolean {
  return (
    type === 'boolean' ||
    numberTypes.has(type) ||
    dateTypes.has(type) ||
    type === 'time' ||
    stringTypes.has(type)
  );
}

/** The value FHIRPath operators work on: a primitive's value, a Quantity, or the node itself. */
export function primitiveOf(item: FhirPathItem): FhirPathItem | undefined {
  if (!(item instanceof FhirNode)) return item;
  const { value, type } = item;
  if (isPrimitiveType(type)) {
    if (value === undefined) return undefined;
    if (dateTypes.has(type)) return new FhirPathTemporal(value as string, 'date');
    if (type === 'time') return new FhirPathTemporal(value as string, 'time');
    return value as string | number | boolean;
  }
  if (quantityTypes.has(type)) {
    const q = value as { value?: number; code?: string; unit?: string };
    if (typeof q.value !== 'number') return item;
    return { value: q.value, unit: q.code ?? q.unit ?? '1' };
  }
  return item;
}

function isQuantity(v: unknown): v is FhirPathQuantity {
  return typeof v === 'object' && v !== null && !(v instanceof FhirNode) && !(v instanceof FhirPathTemporal);
}

/** Compares two temporals: negative, zero or positive, or undefined where their precisions leave it open. */
function compareTemporal(a: FhirPathTemporal, b: FhirPathTemporal): number | undefined {
  if (a.kind !== b.kind) return undefined;
  const [shorter, longer] = [a.parts.length, b.parts.length].sort((x, y) => x - y) as [number, number];
  // Both with a time of day: compare instants, so that time zones count.
  if (a.kind === 'date' && shorter >= 4 && (shorter === longer || shorter >= 6)) {
    return a.epochMillis - b.epochMillis;
  }
  const common = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < common; i++) {
    const d = (a.parts[i] as number) - (b.parts[i] as number);
    if (d !== 0) return d;
  }
  return a.parts.length === b.parts.length ? 0 : undefined;
}

/** FHIRPath `<`, `>` and friends: a number, or undefined when the items cannot be compared. */
export function compare(left: FhirPathItem, right: FhirPathItem): number | undefined {
  const a = primitiveOf(left);
  const b = primitiveOf(right);
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof FhirPathTemporal && b instanceof FhirPathTemporal) return compareTemporal(a, b);
  if (a instanceof FhirPathTemporal && typeof b === 'string')
    return compareTemporal(a, new FhirPathTemporal(b, a.kind));
  if (typeof a === 'string' && b instanceof FhirPathTemporal)
    return compareTemporal(new FhirPathTemporal(a, b.kind), b);
  if (isQuantity(a) && isQuantity(b) && a.unit === b.unit) return a.value - b.value;
  if (isQuantity(a) && typeof b === 'number') return a.value - b;
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** FHIRPath `=` on two items: true, false, or undefined where precision leaves it open. */
export function equals(left: FhirPathItem, right: FhirPathItem): boolean | undefined {
  const a = primitiveOf(left);
  const b = primitiveOf(right);
  if (a === undefined || b === undefined) return undefined;
  if (a instanceof FhirNode || b instanceof FhirNode) {
    return a instanceof FhirNode && b instanceof FhirNode && deepEqual(a.value, b.value);
  }
  if (a instanceof FhirPathTemporal || b instanceof FhirPathTemporal) {
    const c = compare(a, b);
    return c === undefined ? undefined : c === 0;
  }
  if (isQuantity(a) && isQuantity(b)) return a.unit === b.unit && a.value === b.value;
  return a === b;
}

/** FHIRPath `~`: like `=`, but strings ignore case and runs of whitespace, and open precision is false. */
export function equivalent(left: FhirPathItem, right: FhirPathItem): boolean {
  const a = primitiveOf(left);
  const b = primitiveOf(right);
  if (typeof a === 'string' && typeof b === 'string') {
    const normal = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
    return normal(a) === normal(b);
  }
  return equals(left, right) === true;
}

/** A collection as one Boolean, as FHIRPath's singleton evaluation says; undefined for empty. */
export function toBoolean(collection: FhirPathItem[]): boolean | undefined {
  if (collection.length === 0) return undefined;
  if (collection.length > 1) throw new Error('Expected a single value but found a collection');
  const v = primitiveOf(collection[0] as FhirPathItem);
  return typeof v === 'boolean' ? v : true;
}

/** The items without repeats (by `=`), in order. Primitives go through a Set: `|` may join thousands of them. */
export function distinctItems(items: FhirPathItem[]): FhirPathItem[] {
  const primitives = new Set<string>();
  const others: FhirPathItem[] = [];
  const result: FhirPathItem[] = [];
  for (const item of items) {
    const v = primitiveOf(item);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const key = `${typeof v}:${v}`;
      if (primitives.has(key)) continue;
      primitives.add(key);
    } else {
      if (others.some((o) => equals(o, item) === true)) continue;
      others.push(item);
    }
    result.push(item);
  }
  return result;
}
