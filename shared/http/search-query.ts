import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError } from '../fhir/operation-outcome.ts';

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
    const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    for (const [name, value] of new URLSearchParams(body)) add(name, value);
  }
  return query;
}
