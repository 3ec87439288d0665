import { accessToken } from '../support/access-token.ts';
import { handlerEnvironment } from '../support/handler-environment.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round, type Summary, summarise } from '../support/stats.ts';
import type { StorageWork } from '../support/storage-meter.ts';
import { runWorker } from '../support/worker-process.ts';
import type { InteractionSample, InteractionWorkerInput } from './interaction-worker.ts';

/** The row of a bare GetItem through the shared client, beside the interactions: one round trip's SDK cost. */

/** One interaction's CPU time, wall time and DynamoDB work per request. */
export interface InteractionFigures {
  name: string;
  cpuMs: Summary;
  wallMs: Summary;
  /** The DynamoDB work of one request (the same on every sampled request, else `consistent` is false). */
  storage: StorageWork;
  consistent: boolean;
  /** Median bytes of log lines and metrics written per request (what CloudWatch Logs would ingest). */
  logBytes: number;
  /** Of which Powertools' per-request warning that there were no stored metrics to publish. */
  emptyMetricsWarningBytes: number;
  responseBytes: number;
}

/**
 * Parts 1 and 2: each interaction of the FHIR function invoked in a process of its own with real REST
 * proxy events and a verified caller (the `gp` client), after warm-up; CPU (user + system) per invocation, and
 * the DynamoDB round trips and capacity of a few metered invocations.
 */
export async function measureInteractions(
  sandbox: SandboxProcess,
  options: { warmup: number; iterations: number; storageSamples: number },
): Promise<InteractionFigures[]> {
  const input: InteractionWorkerInput = {
    token: await accessToken(sandbox.clients, 'gp'),
    host: new URL(sandbox.url).host,
    nhsPrefix: '910',
    ...options,
  };
  const { samples } = await runWorker<{ samples: InteractionSample[] }>(
    'bench/cpu/interaction-worker.ts',
    handlerEnvironment(sandbox, 'fhir'),
    input,
    { timeoutMs: 600_000 },
  );
  return samples.map((s) => {
    const [first] = s.storage as [StorageWork];
    // Item sizes may differ by a byte between samples (a version number gains a digit); the counts may not.
    const counts = ({ itemBytes: _bytes, ...w }: StorageWork) => JSON.stringify(w);
    const same = (w: StorageWork) => counts(w) === counts(first);
    return {
      name: s.name,
      cpuMs: roundSummary(summarise(s.cpuMs)),
      wallMs: roundSummary(summarise(s.wallMs)),
      storage: first,
      consistent: s.storage.every(same),
      logBytes: summarise(s.logBytes).median,
      emptyMetricsWarningBytes: summarise(s.emptyMetricsWarningBytes).median,
      responseBytes: s.responseBytes,
    };
  });
}

function roundSummary(s: Summary): Summary {
  return { n: s.n, median: round(s.median), p99: round(s.p99), mean: round(s.mean), max: round(s.max) };
}
