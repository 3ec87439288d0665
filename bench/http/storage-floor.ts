import { handlerEnvironment } from '../support/handler-environment.ts';
import { dynamodbLocalPid } from '../support/process-cpu.ts';
import type { SandboxProcess } from '../support/sandbox-process.ts';
import { round, summarise } from '../support/stats.ts';
import type { StorageWork } from '../support/storage-meter.ts';
import { runWorker } from '../support/worker-process.ts';
import { crudMix } from './crud-mix.ts';
import type { FloorWorkerInput } from './storage-floor-worker.ts';

/** The storage floor at one concurrency: the CRUD mix's DynamoDB calls alone. */
export interface FloorFigures {
  connections: number;
  seconds: number;
  /** Request-equivalents (one per step of the mix) per second. */
  requestsPerSecond: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  /** The DynamoDB calls of one iteration of the mix (`crudMix.length` requests). */
  callsPerIteration: StorageWork;
  /** CPU milliseconds per request-equivalent: the floor's own process and DynamoDB Local. */
  cpuMsPerRequest: { floor: number; dynamodbLocal: number };
}

/**
 * Part 4 (floor): the same DynamoDB calls the FHIR function makes for the CRUD mix, made directly at the
 * same concurrency against the same DynamoDB Local, in a process of their own.
 */
export async function measureStorageFloor(
  sandbox: SandboxProcess,
  connections: number,
  seconds: number,
  warmupSeconds: number,
  nhsPrefix: string,
): Promise<FloorFigures> {
  const input: FloorWorkerInput = {
    connections,
    seconds,
    warmupSeconds,
    nhsPrefix,
    dynamodbLocalPid: dynamodbLocalPid(sandbox.pid) ?? 0,
  };
  const result = await runWorker<{
    cpuSeconds: { floor: number; dynamodbLocal: number };
    perIteration: StorageWork;
    requests: number;
    seconds: number;
    latencies: number[];
  }>('bench/http/storage-floor-worker.ts', handlerEnvironment(sandbox, 'fhir'), input, {
    timeoutMs: 300_000,
  });
  const latency = summarise(result.latencies);
  return {
    connections,
    seconds: round(result.seconds, 1),
    requestsPerSecond: round(result.requests / result.seconds, 1),
    latencyMedianMs: round(latency.median, 1),
    latencyP99Ms: round(latency.p99, 1),
    callsPerIteration: { ...result.perIteration, calls: { ...result.perIteration.calls } },
    cpuMsPerRequest: {
      floor: round((result.cpuSeconds.floor * 1000) / result.requests, 2),
      dynamodbLocal: round((result.cpuSeconds.dynamodbLocal * 1000) / result.requests, 2),
    },
  };
}

/** Requests in one iteration of the mix. */
export const requestsPerIteration = crudMix.length;
