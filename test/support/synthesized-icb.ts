import { readFileSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { icbConfig } from '#infra/config/icbs';
import type { IcbConfig } from '#infra/config/types';
import { buildApp, type SharedCareRecordStack } from '#infra/stack';

export type CfnResource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

/** One ICB's app as `cdk synth -c icb=<name>` builds it, with its template and the template's resources. */
export interface SynthesizedIcb {
  config: IcbConfig;
  app: App;
  stack: SharedCareRecordStack;
  template: Template;
  resources: Record<string, CfnResource>;
}

/** The feature flags `cdk synth` passes from cdk.json, so the tests synthesize what the CLI would. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

// A synth takes seconds, so each ICB is synthesized once per test run and every infra file reads the same one. The infra project runs its files in one worker without isolation; the cache sits
// on globalThis so it also survives the test runner re-evaluating this module for another file.
const cacheKey = Symbol.for('shared-care-record.test.synthesized-icbs');
const holder = globalThis as { [cacheKey]?: Map<string, SynthesizedIcb> };
holder[cacheKey] ??= new Map();
const cache = holder[cacheKey];

// The ICBs whose function bundles a test reads (stack.test.ts). Bundling is the slow part of a synth (about
// 8 s an ICB here) and changes no resource the other tests check, so the other ICBs are synthesized without
// it; readme-deploy.test.ts runs the real `cdk synth` of every ICB, bundles included.
const BUNDLED_ICBS: readonly string[] = ['example-icb'];

/**
 * The listed ICB `name`, synthesized as `cdk synth` does it the first time it is asked for in this test run,
 * and the same object every time after. Tests read it and never change it.
 *
 * @example const { template } = synthesizedIcb('example-icb');
 */
export function synthesizedIcb(name: string): SynthesizedIcb {
  const known = cache.get(name);
  if (known) return known;
  const config = icbConfig(name);
  const context = BUNDLED_ICBS.includes(name)
    ? cdkJsonContext
    : { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] };
  const { app, stack } = buildApp({ context }, config);
  const template = Template.fromStack(stack);
  const synthesized: SynthesizedIcb = {
    config,
    app,
    stack,
    template,
    resources: template.toJSON().Resources as Record<string, CfnResource>,
  };
  cache.set(name, synthesized);
  return synthesized;
}

/**
 * A stack for a config no listed ICB has (a variant to prove one setting), synthesized without bundling:
 * what such a test checks is the stack's shape, not the functions' code.
 */
export function synthesizedVariant(config: IcbConfig): Omit<SynthesizedIcb, 'config'> {
  const { app, stack } = buildApp({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } }, config);
  const template = Template.fromStack(stack);
  return { app, stack, template, resources: template.toJSON().Resources as Record<string, CfnResource> };
}
