import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openApiDocument } from '#shared/openapi/openapi-document';
import type { LocalRoute } from './gateway.ts';

/** Swagger UI's files, served from node_modules so the docs work with no network. */
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Swagger UI's start-up: the sandbox's own document, no calls to swagger.io's validator, examples shown. */
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'none',
  defaultModelsExpandDepth: -1,
  displayRequestDuration: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Shared care record: supplier documentation</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

/**
 * `/openapi.json`: the API's OpenAPI 3.1 document, generated from the route and resource-type tables with this
 * sandbox as its server; `/docs`: the same document rendered by Swagger UI, worked examples first.
 */
export function apiDocs(serverUrl: string): LocalRoute {
  let document: string | undefined;
  return async (req, res) => {
    if (req.method !== 'GET') return false;
    const path = (req.url ?? '/').split('?')[0] as string;
    const send = (contentType: string, body: string | Buffer) => {
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache' });
      res.end(body);
      return true;
    };
    if (path === '/openapi.json') {
      document ??= JSON.stringify(openApiDocument({ serverUrl }), null, 2);
      return send('application/json', document);
    }
    if (path === '/docs' || path === '/docs/') return send('text/html; charset=utf-8', PAGE);
    if (path === '/docs/init.js') return send('text/javascript; charset=utf-8', INIT);
    const asset = path.startsWith('/docs/') ? path.slice('/docs/'.length) : '';
    const contentType = ASSETS[asset];
    if (!contentType) return false;
    return send(contentType, await readFile(join(swaggerUiDir, asset)));
  };
}
