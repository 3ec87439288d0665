/**
 * Ours beside FHIR Works on AWS (FWoA), AWS's open-source serverless FHIR server, on the same machine and the
 * same emulator, one after the other, with one load script (`../shared/peer-bench/crud-mix.mjs`): read, create
 * and the CRUD mix at 16 and 64 connections. FWoA runs from `../shared/peer-bench/fwoa` on DynamoDB Local in
 * memory; ours is the sandbox with its data on tmpfs, so both give DynamoDB Local the same storage. FWoA does no
 * auth, audit, search or history; ours does all of them. Only ratios from one run mean anything.
 *
 * Run alone: `npx tsx bench/peer/fwoa-comparison.ts [seconds]` (the bench runs it as its last part).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '#local/free-port';
import { repositoryRoot, tmpDir } from '../support/bench-paths.ts';
import { round } from '../support/stats.ts';

const PEER_BENCH = resolve(repositoryRoot, '..', 'shared', 'peer-bench');

/** One workload at one connection count, as crud-mix.mjs reports it. */
export interface LoadRun {
  workload: string;
  connections: number;
  requestsPerSecond: number;
  errors: number;
  /** Cores each process used over the run (node, java). */
  cpu: Record<string, number>;
}

export interface PeerComparison {
  /** Why the comparison did not run, when it did not (FWoA could not be installed here, for one). */
  skipped?: string;
  seconds: number;
  fwoa: LoadRun[];
  ours: LoadRun[];
  /** ours / FWoA requests per second, by workload and connection count. */
  ratios: { workload: string; connections: number; ratio: number; errors: number }[];
}

export async function compareWithFwoa(seconds = 30, connections = [16, 64]): Promise<PeerComparison> {
  const empty = { seconds, fwoa: [], ours: [], ratios: [] };
  if (!existsSync(join(PEER_BENCH, 'fwoa', 'start.mjs'))) {
    return { ...empty, skipped: `no FWoA harness at ${PEER_BENCH}/fwoa` };
  }
  // ../shared is read-only: install a copy.
  const work = join(tmpDir, 'peer-bench');
  if (!existsSync(join(work, 'fwoa', 'node_modules'))) {
    rmSync(work, { recursive: true, force: true });
    cpSync(PEER_BENCH, work, { recursive: true, filter: (p) => !p.includes('node_modules') });
    try {
      for (const folder of [work, join(work, 'fwoa')]) {
        execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
          cwd: folder,
          stdio: 'inherit',
        });
      }
    } catch (e) {
      rmSync(join(work, 'fwoa', 'node_modules'), { recursive: true, force: true });
      return {
        ...empty,
        skipped: `FWoA could not be installed here: ${(e as Error).message.split('\n')[0]}`,
      };
    }
  }
  const load = (args: string[]) =>
    runLoad(work, [...args, '--dur', String(seconds), '--conns', connections.join(',')]);

  const fwoaPort = await freePort();
  const fwoa = await startProcess(process.execPath, ['start.mjs'], join(work, 'fwoa'), /^PIDS (.*)$/m, {
    FWOA_PORT: String(fwoaPort),
    DDB_PORT: String(await freePort()),
  });
  let fwoaRuns: LoadRun[];
  try {
    const base = /^BASE (\S+)$/m.exec(fwoa.output)?.[1] ?? `http://127.0.0.1:${fwoaPort}`;
    const pids = fwoa.match[1]?.replaceAll(' ', ',') ?? '';
    fwoaRuns = load(['--base', base, '--auth', 'none', '--style', 'plain', '--pids', pids]);
  } finally {
    await stopProcess(fwoa.child);
  }

  const dir = mkdtempSync('/dev/shm/scr-peer-bench-');
  const port = await freePort();
  const ours = await startProcess(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--fresh', '--dir', dir],
    repositoryRoot,
    /Sandbox ready: (\S+)/,
    { PORT: String(port) },
  );
  let ourRuns: LoadRun[];
  try {
    const java = execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dir}`], { encoding: 'utf8' }).trim();
    const clients = join(dir, 'clients.json');
    const { fhirBase, clients: list } = JSON.parse(readFileSync(clients, 'utf8')) as {
      fhirBase: string;
      clients: { role: string; odsCode: string }[];
    };
    // The patients are registered with the gp client's practice, so it has the relationship reads need.
    const gp = list.find((c) => c.role === 'gp')?.odsCode ?? '';
    ourRuns = load([
      '--base',
      fhirBase,
      '--auth',
      `contract:${clients}:gp`,
      '--style',
      'ours',
      '--gp',
      gp,
      '--pids',
      `node=${ours.child.pid},java=${java.split('\n')[0]}`,
    ]);
  } finally {
    await stopProcess(ours.child);
    rmSync(dir, { recursive: true, force: true });
  }

  const ratios = ourRuns.map((o) => {
    const peer = fwoaRuns.find((f) => f.workload === o.workload && f.connections === o.connections);
    return {
      workload: o.workload,
      connections: o.connections,
      ratio: peer?.requestsPerSecond ? round(o.requestsPerSecond / peer.requestsPerSecond, 2) : 0,
      errors: o.errors + (peer?.errors ?? 0),
    };
  });
  return { seconds, fwoa: fwoaRuns, ours: ourRuns, ratios };
}

/** Runs crud-mix.mjs and reads its one JSON line per workload and connection count. */
function runLoad(work: string, args: string[]): LoadRun[] {
  const out = execFileSync(process.execPath, [join(work, 'crud-mix.mjs'), ...args], {
    cwd: work,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const r = JSON.parse(line) as Record<string, unknown>;
      return {
        workload: String(r.name),
        connections: Number(r.connections),
        requestsPerSecond: round(Number(r.req_per_s), 0),
        errors: Number(r.errors ?? 0) + Number(r.non2xx ?? 0) + Number(r.timeouts ?? 0),
        cpu: (r.cores ?? {}) as Record<string, number>,
      };
    });
}

async function startProcess(
  command: string,
  args: string[],
  cwd: string,
  ready: RegExp,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: string; match: RegExpExecArray }> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((started, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Not ready in 120 s:\n${output}`)), 120_000);
    const seen = (d: Buffer) => {
      output += String(d);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        started({ child, output, match });
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', (d: Buffer) => {
      output += String(d);
    });
    child.once('exit', (code) => fail(new Error(`Exited ${code}:\n${output}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await compareWithFwoa(Number(process.argv[2] ?? 30));
  console.log(JSON.stringify(result.skipped ?? result.ratios, null, 2));
}
