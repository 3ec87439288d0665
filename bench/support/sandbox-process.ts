import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '#local/free-port';
import type { SandboxClientsFile } from '#local/sandbox-clients';
import { repositoryRoot } from './bench-paths.ts';

/** A sandbox started as `npm start` starts it, in its own process, with what its files tell a supplier. */
export interface SandboxProcess {
  url: string;
  dir: string;
  clients: SandboxClientsFile;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox (bench/support/sandbox-main.ts: `startSandbox`, fresh) in a child process of its own process
 * group, so that stopping it, even by force, takes its DynamoDB Local (Java) with it. Logs go to `<dir>.log`.
 */
export async function startSandboxProcess(dir: string): Promise<SandboxProcess> {
  const port = await freePort();
  const log = createWriteStream(`${dir}.log`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/sandbox-main.ts', '--dir', dir], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = () => stopGroup(child, exited, log);
  try {
    await new Promise<void>((ready, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`Sandbox not ready in 60 s:\n${out}`)), 60_000);
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
  } catch (e) {
    await stop();
    throw e;
  }
  const info = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
  return { ...info, dir, pid: child.pid as number, stop };
}

async function stopGroup(
  child: ChildProcess,
  exited: Promise<void>,
  log: NodeJS.WritableStream,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  // Whatever of the group is left (DynamoDB Local after a crash) goes too; the group is the child's own.
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // The group is gone already.
  }
  await new Promise<void>((r) => log.end(() => r()));
}
