import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { freePort, waitForPort } from './free-port.ts';

const LOOPBACK = '127.0.0.1';

/** A running DynamoDB Local: Amazon's own emulator, started from the jar the npm package ships. */
export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts Amazon's DynamoDB Local (shipped inside `amplify-dynamodb-simulator`) with `java`, listening on
 * 127.0.0.1 only and sending no telemetry. Its JS wrapper is not used: it expects a folder under the home
 * directory. Data lives in `dataDir`, or in memory when omitted.
 */
export async function startDynamoDbLocal(
  options: { dataDir?: string; port?: number } = {},
): Promise<DynamoDbLocal> {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) {
    throw new Error(
      'Java is needed for DynamoDB Local but `java` was not found. Install a Java 17+ runtime, for example ' +
        '`sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS).',
    );
  }
  const require = createRequire(import.meta.url);
  const emulator = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    'java',
    [
      '-Xms64m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${join(emulator, 'DynamoDBLocal.jar')}${delimiter}${loopbackLauncher(emulator)}`,
      // The jar listens on every interface and has no option against it: this launcher binds it to loopback.
      'DynamoDbLocalLoopback',
      LOOPBACK,
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
      ...storage,
    ],
    { cwd: emulator, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      // The port usually opens in about 2 s; a machine loaded by other work can take far longer, and the
      // wait ends as soon as it opens, so a generous limit costs a normal start nothing.
      waitForPort(port, 60_000),
      exited.then(() => {
        throw new Error(`DynamoDB Local exited at start: ${stderr.trim()}`);
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 3000)),
      ]);
      if (!killed) child.kill('SIGKILL');
    },
  };
}

const LAUNCHER_SOURCE = join(import.meta.dirname, 'dynamodb-local-loopback.java');

/**
 * The folder holding the compiled loopback launcher, compiled once per version of its source with the compiler
 * every Java runtime image carries (`jdk.compiler`, so a JRE is enough) and kept under node_modules/.cache:
 * compiling on every start would cost seconds of a busy machine's time.
 */
function loopbackLauncher(emulator: string): string {
  const source = readFileSync(LAUNCHER_SOURCE);
  const version = createHash('sha256').update(source).update(emulator).digest('hex').slice(0, 16);
  const folder = join(
    import.meta.dirname,
    '..',
    'node_modules',
    '.cache',
    'dynamodb-local-loopback',
    version,
  );
  if (existsSync(join(folder, 'DynamoDbLocalLoopback.class'))) return folder;
  // Compiled beside and renamed into place, so a sandbox starting at the same time never reads half a class.
  const scratch = `${folder}.${process.pid}`;
  const compiled = spawnSync(
    'java',
    [
      '-m',
      'jdk.compiler/com.sun.tools.javac.Main',
      '-cp',
      join(emulator, 'DynamoDBLocal.jar'),
      '-d',
      scratch,
      LAUNCHER_SOURCE,
    ],
    { encoding: 'utf8' },
  );
  if (compiled.status !== 0) {
    throw new Error(`Could not compile the DynamoDB Local launcher: ${compiled.stderr || compiled.error}`);
  }
  try {
    renameSync(scratch, folder);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another start got there first
  }
  return folder;
}
