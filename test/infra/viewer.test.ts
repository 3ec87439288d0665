import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';

import { icbConfig } from '#infra/config/icbs';
import { validateIcbConfig } from '#infra/config/validate';
import { buildApp, type SharedCareRecordStack } from '#infra/stack';
import { routes } from '#shared/service/routes';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
const config = { ...icbConfig('example-icb'), viewerFrameAncestors: ['https://epr.trust.example.nhs.uk'] };
let app: App;
let stack: SharedCareRecordStack;
let template: Template;

beforeAll(() => {
  ({ app, stack } = buildApp({ context: cdkJsonContext }, config));
  template = Template.fromStack(stack);
});

describe('the point-of-care viewer in the stack', () => {
  it('gives the viewer function the ICB’s frame-ancestors origins', () => {
    const viewer =
      template.toJSON().Resources[
        stack.getLogicalId(stack.functions.byName.viewer.function.node.defaultChild as never)
      ];
    expect(viewer.Properties.Environment.Variables.VIEWER_FRAME_ANCESTORS).toBe(
      'https://epr.trust.example.nhs.uk',
    );
  });

  it('copies the NHS design system’s CSS beside the viewer’s bundle, and beside no other', () => {
    const bundles = readdirSync(app.outdir).filter((d) => d.startsWith('asset.'));
    const withCss = bundles.filter((d) =>
      existsSync(join(app.outdir, d, 'assets', 'nhsuk-frontend.min.css')),
    );
    expect(withCss).toHaveLength(1);
    expect(readFileSync(join(app.outdir, withCss[0] as string, 'index.mjs'), 'utf8')).toContain('viewer');
  });

  it('serves the viewer’s pages without the token authorizer and its launch with it', () => {
    const viewerRoutes = routes.filter((r) => r.function === 'viewer');
    expect(viewerRoutes.filter((r) => r.auth === 'bearer').map((r) => r.interaction)).toEqual(['launch']);
    for (const route of viewerRoutes)
      expect(stack.api.methods[`${route.method} ${route.path}`]).toBeDefined();
  });

  it('refuses a frame-ancestors entry that is not an https origin', () => {
    expect(() =>
      validateIcbConfig({ ...icbConfig('example-icb'), viewerFrameAncestors: ['http://epr.example'] }),
    ).toThrow('viewerFrameAncestors[0] must be an https origin');
    expect(() =>
      validateIcbConfig({ ...icbConfig('example-icb'), viewerFrameAncestors: ['https://*.example.nhs.uk'] }),
    ).toThrow('viewerFrameAncestors[0]');
  });
});
