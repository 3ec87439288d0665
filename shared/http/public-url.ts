import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The address callers reached the API at, without a trailing slash: `PUBLIC_BASE_URL` when set (the sandbox,
 * or a custom domain), else the API Gateway host and any stage prefix the request came through.
 */
export function publicBaseUrl(event: APIGatewayProxyEvent): string {
  const configured = process.env.PUBLIC_BASE_URL;
  if (configured) return configured.replace(/\/$/, '');
  const { domainName, path } = event.requestContext;
  const prefix = path?.endsWith(event.path) ? path.slice(0, path.length - event.path.length) : '';
  return `https://${domainName}${prefix}`;
}
