import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { clientRegistry } from '#infra/config/client-registry';
import { validateIcbConfig } from '#infra/config/validate';
import { functions } from '#shared/service/functions';
import { generatedIcb } from '#test/support/generated-icb';
import { benchDir, repositoryRoot, tmpDir } from '../support/bench-paths.ts';
import { round, summarise } from '../support/stats.ts';
import { buildLikeLambda } from './bundles.ts';

/**
 * The token authorizer with an ICB-sized registry (1,000 organisations, 60 supplier systems; the token of a GP
 * system acting for 250 practices): its bundle's cold import, its first call (which loads the registry), and
 * CPU per warm call, each in a fresh Node process, as Lambda runs it. The registry is given as
 * `CLIENT_REGISTRY` (the one JSON string a deployment reads from its table item), so no emulator is needed.
 * Run alone: `npx tsx bench/cold-start/authorizer-registry.ts`; writes bench/results/authorizer-registry.json.
 */
const RUNS = 7;
const CALLS = 2000;

/** The authorizer with a region-sized registry: cold import, first call and CPU per call (issue 13). */
export async function measureAuthorizerRegistry() {
  const outfile = join(tmpDir, 'authorizer-registry', 'index.mjs');
  await buildLikeLambda(functions.authorizer.entry, outfile);
  const registry = clientRegistry(validateIcbConfig(generatedIcb()));
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'bench-1', alg: 'RS256' };
  const key = await importJWK(jwk, 'RS256');
  const client = registry[0] as (typeof registry)[number];
  const tokens = await Promise.all(
    Array.from({ length: 20 }, () =>
      new SignJWT({
        client_id: client.clientId,
        ods: client.organisations[0],
        role: client.role,
        scope: 'system/*.cruds',
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench-1' })
        .setSubject(client.clientId)
        .setAudience('shared-care-record')
        .setIssuedAt()
        .setExpirationTime('10m')
        .setJti(crypto.randomUUID())
        .sign(key),
    ),
  );
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-2',
    NODE_OPTIONS: '--enable-source-maps',
    TOKEN_SIGNING_JWK: JSON.stringify(jwk),
    CLIENT_REGISTRY: JSON.stringify(registry),
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_SERVICE_NAME: 'authorizer',
  };
  const worker = `
    const t0 = performance.now();
    const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)});
    const importMs = performance.now() - t0;
    const tokens = ${JSON.stringify(tokens)};
    const context = { awsRequestId: 'bench', functionName: 'authorizer', getRemainingTimeInMillis: () => 5000 };
    const call = (i) => handler({ type: 'TOKEN', authorizationToken: 'Bearer ' + tokens[i % tokens.length],
      methodArn: 'arn:aws:execute-api:eu-west-2:000000000000:api/v1/GET/FHIR/R4/Patient' }, context);
    const t1 = performance.now();
    const first = await call(0);
    const firstCallMs = performance.now() - t1;
    if (first.principalId !== ${JSON.stringify(client.clientId)}) throw new Error('not allowed');
    const cpu = [];
    for (let i = 0; i < ${CALLS}; i++) {
      const before = process.cpuUsage();
      await call(i);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }
    cpu.sort((a, b) => a - b);
    console.log(JSON.stringify({ importMs, firstCallMs, cpuMsMedian: cpu[Math.floor(cpu.length / 2)], cpuMsP90: cpu[Math.floor(cpu.length * 0.9)] }));
  `;
  const runs = Array.from({ length: RUNS }, () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', worker], {
      env,
      encoding: 'utf8',
      cwd: repositoryRoot,
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Record<string, number>;
  });
  const median = (k: string) => round(summarise(runs.map((r) => r[k] as number)).median, 2);
  const figures = {
    registry: {
      organisations: 1000,
      supplierSystems: registry.length,
      bytes: JSON.stringify(registry).length,
    },
    token: `${client.clientId}, acting for ${client.organisations.length} organisations`,
    runs: RUNS,
    callsPerRun: CALLS,
    importMs: median('importMs'),
    firstCallMs: median('firstCallMs'),
    cpuMsPerCallMedian: median('cpuMsMedian'),
    cpuMsPerCallP90: median('cpuMsP90'),
  };
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(
    join(benchDir, 'results', 'authorizer-registry.json'),
    `${JSON.stringify(figures, null, 2)}\n`,
  );
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureAuthorizerRegistry(), null, 2));
}
