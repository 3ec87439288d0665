import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { assertWellFormed, requestText } from './request-text.ts';

/**
 * A search's parameters as name → values, from the query string and, for `POST _search`, the form-encoded
 * body (FHIR treats both alike).
 */
export function searchQuery(event: APIGatewayProxyEvent): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    query[name] = [...(query[name] ?? []), value];
  };
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    for (const value of values ?? []) add(name, value);
  }
  if (event.httpMethod === 'POST' && event.body) {
    const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new BadRequestError(
        'POST _search takes an application/x-www-form-urlencoded body',
        'not-supported',
      );
    }
    for (const [name, value] of new URLSearchParams(requestText(event))) {
      assertWellFormed(name, 'A search parameter name');
      assertWellFormed(value, `The search parameter ${name}`);
      add(name, value);
    }
  }
  return query;
}
