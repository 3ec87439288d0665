import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, tmpDir } from './bench-paths.ts';

/**
 * Runs a benchmark worker (a TypeScript file, through tsx) in a child process of its own with the given
 * environment, its input in the JSON file `BENCH_INPUT_FILE` names (events outgrow an environment variable),
 * and resolves with the one message it sends back over IPC.
 * Its standard output (the handlers' log lines) is discarded, as Lambda's would be shipped elsewhere.
 */
export function runWorker<T>(
  script: string,
  env: Record<string, string>,
  input: unknown,
  options: { loader?: 'tsx' | 'none'; timeoutMs?: number } = {},
): Promise<T> {
  const args = options.loader === 'none' ? [script] : ['--import', 'tsx', script];
  const inputFile = join(tmpDir, 'inputs', `${crypto.randomUUID()}.json`);
  mkdirSync(join(tmpDir, 'inputs'), { recursive: true });
  writeFileSync(inputFile, JSON.stringify(input));
  const child = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    env: { ...env, BENCH_INPUT_FILE: inputFile },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  return new Promise<T>((resolve, reject) => {
    let answer: { value: T } | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in ${options.timeoutMs} ms:\n${stderr}`));
    }, options.timeoutMs ?? 300_000);
    child.on('message', (m) => {
      answer = { value: m as T };
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(inputFile, { force: true });
      if (answer) resolve(answer.value);
      else reject(new Error(`${script} exited (${code}) without a result:\n${stderr}`));
    });
  });
}
