/**
 * `npx tsx bench/export/run-export.ts`: the bulk export part of the benchmark on its own (a sandbox of its own,
 * for the analyst's token, stopped afterwards). Writes bench/results/export.json, and puts the figures and their
 * checks into bench/results.json and bench/RESULTS.md beside the last full run's (the rest unchanged).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResults, writeReport } from '../report.ts';
import { benchDir, tmpDir } from '../support/bench-paths.ts';
import { startSandboxProcess } from '../support/sandbox-process.ts';
import { exportChecks, measureExport } from './export-steps.ts';

const tiers = (process.env.BENCH_EXPORT_TIERS ?? '10000,100000').split(',').map(Number);
const dir = join(tmpDir, 'export-sandbox');
rmSync(dir, { recursive: true, force: true });
mkdirSync(tmpDir, { recursive: true });
const sandbox = await startSandboxProcess(dir);
try {
  const figures = await measureExport(sandbox, { tiers, concurrency: 2, maxLoadSeconds: 420 });
  writeFileSync(join(benchDir, 'results', 'export.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const results = JSON.parse(readFileSync(join(benchDir, 'results.json'), 'utf8')) as BenchResults;
  writeReport({
    ...results,
    checks: [...results.checks.filter((c) => c.part !== '8'), ...exportChecks(figures)],
    export: figures,
  });
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await sandbox.stop();
}
