/**
 * The benchmark's sandbox process: `startSandbox` as `npm start` calls it (local/start.ts), fresh, on the
 * port `PORT` gives and in the folder `--dir` names, under a command line of its own, so that whatever
 * stops other sandboxes on this machine by name leaves the benchmark's running. Stops on SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from '#local/sandbox';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const sandbox = await startSandbox({ port: Number(process.env.PORT), dir: values.dir, fresh: true });
const stop = async () => {
  await sandbox.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
console.log(`Sandbox ready: ${sandbox.url}`);
