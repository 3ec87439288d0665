import type { FunctionName } from '#shared/service/functions';
import { handlerEnvironment } from '../support/handler-environment.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round } from '../support/stats.ts';
import { runWorker } from '../support/worker-process.ts';
import { startEventEndpoints } from './event-endpoints.ts';
import { FRESH_ID, memoryLoads } from './memory-loads.ts';
import type { RssWorkerInput } from './rss-worker.ts';

/** One function's memory under load. */
export interface MemoryFigures {
  name: FunctionName;
  peakRssMb: number;
  finalRssMb: number;
  heapUsedMb: number;
  /** Live JavaScript heap after a forced full GC at the end: flat across runs when nothing leaks. */
  liveHeapMb: number;
  invocations: number;
  /** False for a function the benchmark has no load for yet: its figure is after import alone. */
  loadDefined: boolean;
  errors: number;
  firstError?: string;
  seconds: number;
}

/**
 * Part 3 (peak memory): each function's minified bundle in a Node process of its own, invoked `iterations`
 * times over its load (memory-loads.ts) against the sandbox's DynamoDB and S3, then its peak RSS
 * (`process.resourceUsage().maxRSS`).
 */
export async function measurePeakMemory(
  sandbox: SandboxProcess,
  bundles: Record<FunctionName, string>,
  iterations: number,
): Promise<MemoryFigures[]> {
  const endpoints = await startEventEndpoints();
  try {
    const loads = await memoryLoads(sandbox, endpoints.webhookUrl, iterations);
    const figures: MemoryFigures[] = [];
    for (const [name, bundle] of Object.entries(bundles) as [FunctionName, string][]) {
      const load = loads[name] ?? { events: [], okStatuses: [] };
      const input: RssWorkerInput = {
        bundle,
        functionName: name,
        iterations: load.events.length ? (load.invocations ?? iterations) : 0,
        freshId: FRESH_ID,
        ...load,
      };
      const result = await runWorker<Omit<MemoryFigures, 'name'> & { maxRssMb: number; rssMb: number }>(
        'bench/memory/rss-worker.ts',
        {
          ...handlerEnvironment(sandbox, name, endpoints.environment),
          // Source maps as deployed; gc exposed only to measure the live heap once the peak is taken.
          NODE_OPTIONS: '--enable-source-maps --expose-gc',
        },
        input,
        { loader: 'none', timeoutMs: 300_000 },
      );
      figures.push({
        name,
        peakRssMb: round(result.maxRssMb, 1),
        finalRssMb: round(result.rssMb, 1),
        heapUsedMb: round(result.heapUsedMb, 1),
        liveHeapMb: round(result.liveHeapMb, 1),
        invocations: result.invocations,
        loadDefined: load.events.length > 0,
        errors: result.errors,
        ...(result.firstError ? { firstError: result.firstError } : {}),
        seconds: round(result.seconds, 1),
      });
    }
    return figures;
  } finally {
    await endpoints.stop();
  }
}
