/**
 * The deepest JSON nesting (objects and arrays) the validator walks: ten times the deepest of HL7's R4 examples
 * and validator cases (12), and shallow enough that its recursive walk and FHIRPath cannot exhaust the stack.
 */
export const MAX_NESTING_DEPTH = 128;

/**
 * Whether a JSON value nests objects and arrays deeper than `limit` (a top-level object is depth 1).
 * It walks with its own stack, so any depth, or a cyclic object, is safe to ask about.
 * @example nestsDeeperThan({ a: [{}] }, 2) // true
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, depth] = next;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
