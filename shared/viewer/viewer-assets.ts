import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { functions } from '../service/functions.ts';
import { viewerStyles } from './viewer-styles.ts';

/** One static file the viewer serves, under a name carrying its content hash, so it can be cached for ever. */
export interface ViewerAsset {
  name: string;
  contentType: string;
  body: string;
}

// The NHS design system's compiled CSS, as functions.ts has the stack copy it beside the viewer's bundle; the
// sandbox reads it from node_modules.
const NHSUK_CSS = functions.viewer.bundledFiles[0];

function readBundled(path: string): string {
  const root = process.env.LAMBDA_TASK_ROOT;
  return readFileSync(root ? join(root, 'assets', basename(path)) : path, 'utf8');
}

const hashed = (stem: string, body: string): ViewerAsset => ({
  name: `${stem}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.css`,
  contentType: 'text/css; charset=utf-8',
  body,
});

let assets: { nhsuk: ViewerAsset; viewer: ViewerAsset } | undefined;

/** The viewer's stylesheets, read and hashed once per container. */
export function viewerAssets(): { nhsuk: ViewerAsset; viewer: ViewerAsset } {
  assets ??= { nhsuk: hashed('nhsuk', readBundled(NHSUK_CSS)), viewer: hashed('viewer', viewerStyles) };
  return assets;
}

/** The asset with this hashed name, or undefined (an old name after a deployment is simply not found). */
export function viewerAsset(name: string): ViewerAsset | undefined {
  return Object.values(viewerAssets()).find((a) => a.name === name);
}
