import { type RouteDefinition, routes } from '#shared/service/routes';

export interface RouteMatch {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
}

/**
 * Finds the route for a request the way API Gateway's REST API does: path segment by segment, a literal part
 * winning over a `{param}` sibling. Returns undefined for an unknown path or method (API Gateway's
 * MISSING_AUTHENTICATION_TOKEN).
 */
export function matchRoute(
  method: string,
  path: string,
  table: RouteDefinition[] = routes,
): RouteMatch | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let best: { match: RouteMatch; literals: number[] } | undefined;
  for (const route of table) {
    if (route.method !== method) continue;
    const parts = route.path.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const literals: number[] = [];
    const fits = parts.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith('{') && part.endsWith('}')) {
        pathParameters[part.slice(1, -1)] = segment;
        return true;
      }
      literals.push(i);
      return part === segment;
    });
    if (fits && (!best || moreLiteral(literals, best.literals)))
      best = { match: { route, pathParameters }, literals };
  }
  return best?.match;
}

// The earliest literal segment wins, as API Gateway prefers literal resources over variables at each level.
function moreLiteral(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === undefined) return false;
    if (b[i] === undefined) return true;
    return (a[i] as number) < (b[i] as number);
  }
  return false;
}
