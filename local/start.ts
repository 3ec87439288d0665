import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.ts';

/**
 * `npm start`: the whole shared care record on this machine. `PORT` sets the port (3000) and `HOST` the interface
 * the gateway listens on (loopback when unset);
 * `npm start -- --fresh` starts empty and re-seeds; `--dir` keeps data elsewhere than `.sandbox/`;
 * `--index-lag-ms 1000` makes index reads lag writes as DynamoDB's indexes may on AWS.
 */
const { values } = parseArgs({
  options: { fresh: { type: 'boolean' }, dir: { type: 'string' }, 'index-lag-ms': { type: 'string' } },
});
const port = Number(process.env.PORT ?? 3000);
const started = performance.now();

try {
  const sandbox = await startSandbox({
    port,
    fresh: values.fresh ?? false,
    dir: values.dir,
    indexLagMs: Number(values['index-lag-ms'] ?? 0),
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`\nStopping the sandbox (${signal})...`);
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Sandbox ready: ${sandbox.url} (started in ${seconds} s)`);
  console.log(`FHIR base: ${sandbox.clients.fhirBase}   clients: ${values.dir ?? '.sandbox'}/clients.json`);
  if (values['index-lag-ms']) {
    console.log(
      `Index reads lag writes by ${values['index-lag-ms']} ms, as on AWS: the handlers reach DynamoDB at ${sandbox.handlerDynamodbEndpoint}`,
    );
  }
} catch (e) {
  console.error(`The sandbox could not start: ${(e as Error).message}`);
  process.exit(1);
}
