import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '#local/free-port';

export interface SandboxInfo {
  url: string;
  dir: string;
  logFile: string;
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

let child: ChildProcess | undefined;
let log: WriteStream | undefined;

/** Everything the test sandbox printed: its handlers' logs, read afterwards by the log audit. */
export const SANDBOX_LOG = resolve('test/artifacts/sandbox.log');

/**
 * Starts the sandbox exactly as `npm start` does (a child process on real emulators, in a fresh folder and
 * port) for the integration and end-to-end tests, and stops it afterwards, Java included.
 */
export async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'scr-test-'));
  const port = await freePort();
  mkdirSync(resolve('test/artifacts'), { recursive: true });
  const logFile = SANDBOX_LOG;
  rmSync(resolve('test/artifacts/test-patients.txt'), { force: true });
  log = createWriteStream(logFile);
  const started = performance.now();
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--fresh', '--dir', dir], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  await new Promise<void>((ready, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Sandbox not ready in 60 s:\n${out}`)), 60_000);
    child?.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('Sandbox ready:')) {
        clearTimeout(timer);
        ready();
      }
    });
    child?.stderr?.on('data', (d) => {
      out += String(d);
    });
    child?.once('exit', (code) => fail(new Error(`Sandbox exited (${code}):\n${out}`)));
  });
  const info = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
  project.provide('sandbox', { ...info, dir, logFile, startupMs: performance.now() - started });
}

export async function teardown() {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child?.once('exit', r));
  child.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  // Everything the sandbox printed must be on disk before the log audit reads it.
  await new Promise((r) => log?.end(r));
}
