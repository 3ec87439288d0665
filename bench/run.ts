/**
 * `npm run bench`: the performance benchmark of issue 8. Starts its own sandbox (DynamoDB Local, s3rver and
 * the local gateway, in a process group of its own) and a second, in-memory DynamoDB Local for the scale
 * tiers, measures every part, stops all it started, and writes bench/results.json and bench/RESULTS.md.
 */

import { rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { atMost, budgets } from './budgets.ts';
import { checks } from './checks.ts';
import { measureAuthorizerRegistry } from './cold-start/authorizer-registry.ts';
import { bundleDir, measureBundles } from './cold-start/bundles.ts';
import { costModel } from './cost/cost-model.ts';
import { measureInteractions } from './cpu/cpu.ts';
import { measureNotificationLatency, writeNotificationLatency } from './events/notification-latency.ts';
import { exportChecks, measureExport } from './export/export-steps.ts';
import { measureThroughput } from './http/http-throughput.ts';
import { measureStorageFloor, requestsPerIteration } from './http/storage-floor.ts';
import { measurePeakMemory } from './memory/peak-memory.ts';
import { compareWithFwoa } from './peer/fwoa-comparison.ts';
import { writeReport } from './report.ts';
import { measureScale } from './scale/scale.ts';
import { tmpDir } from './support/bench-paths.ts';
import { type SandboxProcess, startSandboxProcess } from './support/sandbox-process.ts';
import { round } from './support/stats.ts';
import { measureViewerPage, viewerChecks } from './viewer/viewer-page.ts';

const started = performance.now();
const loadAverageStart = round(loadavg()[0] ?? 0, 2);
const step = (what: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`);

let sandbox: SandboxProcess | undefined;
const stopAll = async () => {
  await sandbox?.stop();
  sandbox = undefined;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().then(() => process.exit(130)));
}

try {
  step('Building the function bundles and timing their imports');
  const bundles = await measureBundles(7);
  step('The authorizer with a 1,000-organisation, 60-system registry');
  const authorizerRegistry = await measureAuthorizerRegistry();
  step('Starting the sandbox');
  const dir = join(tmpDir, 'sandbox');
  rmSync(dir, { recursive: true, force: true });
  sandbox = await startSandboxProcess(dir);
  step('CPU time and DynamoDB work per interaction');
  const interactions = await measureInteractions(sandbox, { warmup: 30, iterations: 200, storageSamples: 3 });
  step("The viewer's record page: CPU and bytes per page");
  const viewer = await measureViewerPage(sandbox, { entries: 200, warmup: 20, iterations: 100 });
  step('Notification latency: admission written to rest-hook delivered');
  writeNotificationLatency(await measureNotificationLatency(sandbox));
  step('Peak memory of each function under load');
  const paths = Object.fromEntries(
    bundles.filter((b) => b.name !== 'sdk-baseline').map((b) => [b.name, b.path]),
  ) as Parameters<typeof measurePeakMemory>[1];
  const memory = await measurePeakMemory(sandbox, paths, 200);
  step('HTTP throughput of the CRUD mix, and the storage floor beside it');
  // Each HTTP run is followed by its floor, so the two of a pair see the same machine.
  const http = [];
  const floor = [];
  for (const [connections, httpPrefix, floorPrefix] of [
    [16, '930', '940'],
    [64, '931', '941'],
  ] as const) {
    http.push(...(await measureThroughput(sandbox, [{ connections, seconds: 20 }], 5, httpPrefix)));
    floor.push(await measureStorageFloor(sandbox, connections, 20, 3, floorPrefix));
  }
  step('Scale: 1,000, 10,000 and 100,000 registered patients');
  const scale = await measureScale(sandbox, {
    tiers: [1_000, 10_000, 100_000],
    probeCount: 5,
    // DynamoDB Local's JIT warms over thousands of requests: warm well, or the first tier looks slowest.
    warmup: 200,
    iterations: 200,
    maxLoadSeconds: 420,
  });
  step('Bulk export: each step at 10,000 and 100,000 patients');
  const bulkExport = await measureExport(sandbox, {
    // 200,000 too with `BENCH_EXPORT_TIERS=10000,100000,200000 npx tsx bench/export/run-export.ts` (7 more minutes).
    tiers: [10_000, 100_000],
    concurrency: 2,
    maxLoadSeconds: 420,
  });
  await stopAll();
  // Last, with the machine to itself: each server runs alone, one after the other.
  step('Ours beside FHIR Works on AWS: read, create and the CRUD mix at 16 and 64 connections');
  const peer = await compareWithFwoa(30);
  if (peer.skipped) step(`Skipped: ${peer.skipped}`);
  step('Cost model and report');
  writeReport({
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: round(totalmem() / 2 ** 30, 1),
      node: process.versions.node,
      dynamodbLocal: '1.25.1 (amplify-dynamodb-simulator)',
      loadAverageStart,
      loadAverageEnd: round(loadavg()[0] ?? 0, 2),
      totalSeconds: round((performance.now() - started) / 1000, 0),
      bundleDir,
    },
    checks: [
      ...checks({ interactions, bundles, memory, http, floor, scale, peer }),
      ...viewerChecks(viewer),
      ...exportChecks(bulkExport),
      {
        part: '3',
        what: 'import time, authorizer with a 1,000-organisation, 60-system registry',
        unit: 'ms',
        ...atMost(authorizerRegistry.importMs, budgets.importMs),
        note: `first call ${authorizerRegistry.firstCallMs} ms; CPU per call median ${authorizerRegistry.cpuMsPerCallMedian} ms, p90 ${authorizerRegistry.cpuMsPerCallP90} ms`,
      },
    ],
    authorizerRegistry,
    viewer,
    interactions,
    bundles,
    memory,
    throughput: { http, floor, requestsPerIteration },
    scale,
    peer,
    export: bulkExport,
    cost: costModel(interactions),
  });
  step('Wrote bench/results.json and bench/RESULTS.md');
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await stopAll();
}
