import { atMost, type Checked } from '../budgets.ts';
import { accessToken } from '../support/access-token.ts';
import { handlerEnvironment } from '../support/handler-environment.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round, type Summary, summarise } from '../support/stats.ts';
import { runWorker } from '../support/worker-process.ts';
import type { ViewerSample, ViewerWorkerInput } from './viewer-worker.ts';

/** The viewer's figures for one record page (issue 17's budgets: ≤ 20 ms CPU median, ≤ 150 KB transferred). */
export interface ViewerPageFigures {
  entries: number;
  cpuMs: Summary;
  wallMs: Summary;
  /** HTML + CSS + JS of a first visit, gzip-compressed as API Gateway sends it, in KB (fonts aside). */
  transferredKb: number;
  /** The same uncompressed, for a client that asks for no compression. */
  uncompressedKb: number;
  /** A later page: the hashed stylesheets are cached, only the HTML travels. */
  repeatPageKb: number;
}

const roundSummary = (s: Summary): Summary =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 2)])) as unknown as Summary;

/** Measures the viewer's record page for a record of `entries` entries, in a worker process of its own. */
export async function measureViewerPage(
  sandbox: SandboxProcess,
  options: { entries: number; warmup: number; iterations: number },
): Promise<ViewerPageFigures> {
  const input: ViewerWorkerInput = {
    token: await accessToken(sandbox.clients, 'gp'),
    host: new URL(sandbox.url).host,
    nhsPrefix: '950',
    ...options,
  };
  const s = await runWorker<ViewerSample>(
    'bench/viewer/viewer-worker.ts',
    handlerEnvironment(sandbox, 'viewer'),
    input,
    {
      timeoutMs: 600_000,
    },
  );
  const kb = (bytes: number) => round(bytes / 1024, 1);
  return {
    entries: s.entries,
    cpuMs: roundSummary(summarise(s.cpuMs)),
    wallMs: roundSummary(summarise(s.wallMs)),
    transferredKb: kb(s.html.gzip + s.css.gzip + s.js.gzip),
    uncompressedKb: kb(s.html.raw + s.css.raw + s.js.raw),
    repeatPageKb: kb(s.html.gzip),
  };
}

/** Issue 17's budgets for the viewer's record page, as checks beside the rest of the benchmark's. */
export function viewerChecks(
  figures: ViewerPageFigures,
): (Checked & { part: string; what: string; unit: string })[] {
  return [
    {
      part: 'viewer',
      what: `server CPU per record page, ${figures.entries}-entry record (median)`,
      unit: 'ms',
      ...atMost(figures.cpuMs.median, 20),
    },
    {
      part: 'viewer',
      what: 'HTML + CSS + JS transferred for a first record page, gzip (fonts aside)',
      unit: 'KB',
      ...atMost(figures.transferredKb, 150),
    },
  ];
}
