import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '#local/free-port';

export interface SandboxInfo {
  url: string;
  dir: string;
  logFile: string;
  /** Where tests note the identifying details they give patients, for the log audit. */
  patientsFile: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  startupMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sandbox: SandboxInfo;
  }
}

const ARTIFACTS = resolve('test/artifacts');

/** What each sandbox run left for the log audit: its log and the patient details its tests used, by project. */
export function sandboxRuns(): { project: string; logFile: string; patientsFile: string }[] {
  return readdirSync(ARTIFACTS)
    .filter((f) => /^sandbox-.+\.log$/.test(f))
    .map((f) => {
      const project = f.slice('sandbox-'.length, -'.log'.length);
      return {
        project,
        logFile: join(ARTIFACTS, f),
        patientsFile: join(ARTIFACTS, `test-patients-${project}.txt`),
      };
    });
}

/**
 * Starts a sandbox for one test project exactly as `npm start` does (a child process on real emulators, in a
 * fresh folder and port), and stops it afterwards, Java included. Each project that uses this gets its own
 * sandbox and its own log, so the fault tests' sandbox-wide switches cannot reach the other tests.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'scr-test-'));
  const port = await freePort();
  mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = join(ARTIFACTS, `sandbox-${project.name}.log`);
  const patientsFile = join(ARTIFACTS, `test-patients-${project.name}.txt`);
  rmSync(patientsFile, { force: true });
  const log = createWriteStream(logFile);
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--fresh', '--dir', dir],
    { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  await new Promise<void>((ready, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Sandbox not ready in 90 s:\n${out}`)), 90_000);
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('Sandbox ready:')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.stderr?.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', (code) => fail(new Error(`Sandbox exited (${code}):\n${out}`)));
  });
  const info = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
  project.provide('sandbox', { ...info, dir, logFile, patientsFile, startupMs: performance.now() - started });

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    // Everything the sandbox printed must be on disk before the log audit reads it.
    await new Promise((r) => log.end(r));
  };
}
