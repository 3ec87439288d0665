import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { DEFINITIONS_FOLDER, definitionsFolder } from '#shared/fhir/definitions/definitions-folder';
import { type FunctionName, functions } from '#shared/service/functions';
import { repositoryRoot, tmpDir } from '../support/bench-paths.ts';
import { round, summarise } from '../support/stats.ts';

/** One function's bundle: its minified size and how long a fresh Node process takes to import it. */
export interface BundleFigures {
  /** A function of the table, or `sdk-baseline` (the DynamoDB SDK alone). */
  name: FunctionName | 'sdk-baseline';
  path: string;
  bytes: number;
  /** Median import time, as deployed (`NODE_OPTIONS=--enable-source-maps`, as the stack sets it). */
  importMs: number;
  /** Median import time without source maps enabled, to show what they cost at a cold start. */
  importMsWithoutSourceMaps: number;
  importRuns: number[];
}

export const bundleDir = join(tmpDir, 'bundles');

/**
 * Builds every entry of the function table with the esbuild options the CDK stack's NodejsFunction uses
 * (infra/constructs/service-function.ts, with the CDK's defaults made explicit: bundle, platform node, the
 * Lambda runtime's own `@aws-sdk/*` and `@smithy/*` left external under the `sdkV3ExcludeSmithyPackages` flag
 * cdk.json enables), into bench/tmp/bundles/<name>/index.mjs, with the compiled FHIR definitions beside it.
 */
/** One function bundled as the stack bundles it (the options above), from its entry relative to the root. */
export async function buildLikeLambda(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(repositoryRoot, entry)],
    absWorkingDir: repositoryRoot,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    tsconfig: join(repositoryRoot, 'tsconfig.json'),
    banner: {
      js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    },
    external: ['@aws-sdk/*', '@smithy/*'],
    outfile,
    logLevel: 'error',
  });
}

export async function buildBundles(): Promise<Record<FunctionName, string>> {
  const out = {} as Record<FunctionName, string>;
  for (const [name, definition] of Object.entries(functions) as [FunctionName, { entry: string }][]) {
    const outfile = join(bundleDir, name, 'index.mjs');
    await buildLikeLambda(definition.entry, outfile);
    // As the CDK asset does (service-function.ts): the compiled definitions the validator reads at first use.
    cpSync(definitionsFolder(), join(bundleDir, name, DEFINITIONS_FOLDER), { recursive: true });
    out[name] = outfile;
  }
  return out;
}

/** The time a fresh Node process takes to import a module, in ms, as Lambda's init phase would. */
export function importTime(path: string, env: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(path).href)}); console.log(performance.now() - t);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    cwd: repositoryRoot,
  });
  if (run.status !== 0) throw new Error(`Importing ${path} failed: ${run.stderr}`);
  return Number(run.stdout.trim().split('\n').pop());
}

/** The AWS SDK modules every table-using function loads: its import time is the floor under theirs. */
export const SDK_BASELINE = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];

/**
 * Part 3 (sizes and import times): builds the bundles and imports each `runs` times in fresh processes, with
 * the DynamoDB SDK alone imported the same way as a baseline (name `sdk-baseline`), since this machine's load
 * moves every import time.
 */
export async function measureBundles(runs: number): Promise<BundleFigures[]> {
  const paths = await buildBundles();
  const baseline = join(bundleDir, 'sdk-baseline', 'index.mjs');
  mkdirSync(join(bundleDir, 'sdk-baseline'), { recursive: true });
  writeFileSync(baseline, SDK_BASELINE.map((m) => `import '${m}';`).join('\n'));
  (paths as Record<string, string>)['sdk-baseline'] = baseline;
  const env = (name: string, nodeOptions: string) => ({
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-2',
    TABLE_NAME: 'shared-care-record',
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: nodeOptions,
  });
  const entries = Object.entries(paths) as [FunctionName | 'sdk-baseline', string][];
  // One import of each first, so the files are in the page cache as on a warm Lambda host.
  for (const [name, path] of entries) importTime(path, env(name, ''));
  // Round-robin over the bundles and both settings, so the machine's other work weighs on all alike.
  const deployed = new Map(entries.map(([name]) => [name, [] as number[]]));
  const plain = new Map(entries.map(([name]) => [name, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const [name, path] of entries) {
      deployed.get(name)?.push(importTime(path, env(name, '--enable-source-maps')));
      plain.get(name)?.push(importTime(path, env(name, '')));
    }
  }
  return entries.map(([name, path]) => ({
    name,
    path,
    bytes: statSync(path).size,
    importMs: round(summarise(deployed.get(name) ?? []).median, 1),
    importMsWithoutSourceMaps: round(summarise(plain.get(name) ?? []).median, 1),
    importRuns: (deployed.get(name) ?? []).map((v) => round(v, 1)),
  }));
}
