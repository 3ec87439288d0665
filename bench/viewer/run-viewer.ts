/**
 * `npx tsx bench/viewer/run-viewer.ts`: the viewer part of the benchmark on its own (a sandbox of its own,
 * stopped afterwards), for measuring the viewer without running the whole of `npm run bench`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../support/bench-paths.ts';
import { startSandboxProcess } from '../support/sandbox-process.ts';
import { measureViewerPage } from './viewer-page.ts';

const dir = join(tmpDir, 'viewer-sandbox');
rmSync(dir, { recursive: true, force: true });
mkdirSync(tmpDir, { recursive: true });
const sandbox = await startSandboxProcess(dir);
try {
  console.log(
    JSON.stringify(await measureViewerPage(sandbox, { entries: 200, warmup: 20, iterations: 100 }), null, 2),
  );
} finally {
  await sandbox.stop();
}
