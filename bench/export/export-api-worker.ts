/**
 * Child process of the export benchmark (export-steps.ts): the bulk-export function in-process, as the analyst
 * client calls it. `kick-off` asks for a system-level export and answers its id and the execution it started;
 * `status` polls it. Step Functions is played by a stub on loopback that records each StartExecution, so the
 * kick-off runs exactly as on AWS and the benchmark runs the state machine's steps itself.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { AnyHandler } from '#local/function-loader';
import { functions } from '#shared/service/functions';
import { authorizerContext, InProcessApi } from '../support/in-process-api.ts';

/** What the parent passes in the file `BENCH_INPUT_FILE` names. */
export interface ExportApiWorkerInput {
  token: string;
  host: string;
  action: { kind: 'kick-off'; path: string } | { kind: 'status'; statusPath: string };
}

/** What the worker sends back. */
export interface ExportApiWorkerOutput {
  status: number;
  /** The status URL's path (kick-off), e.g. `/FHIR/R4/$export-status/<id>`. */
  statusPath?: string;
  /** The inputs of the executions the kick-off started (`{ exportId }`). */
  executions: unknown[];
  body: unknown;
}

const input = JSON.parse(
  readFileSync(process.env.BENCH_INPUT_FILE as string, 'utf8'),
) as ExportApiWorkerInput;
const executions: unknown[] = [];
const stepFunctions = createServer((request, response) => {
  let body = '';
  request.on('data', (d) => {
    body += String(d);
  });
  request.on('end', () => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target.endsWith('.StartExecution')) {
      const started = JSON.parse(body) as { input?: string; stateMachineArn: string };
      executions.push(started.input ? JSON.parse(started.input) : {});
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({ executionArn: `${started.stateMachineArn}:bench`, startDate: Date.now() / 1000 }),
      );
      return;
    }
    response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
  });
});
await new Promise<void>((r) => stepFunctions.listen(0, '127.0.0.1', r));
process.env.AWS_ENDPOINT_URL_SFN = `http://127.0.0.1:${(stepFunctions.address() as AddressInfo).port}`;

const load = async (name: keyof typeof functions) =>
  ((await import(pathToFileURL(functions[name].entry).href)) as { handler: AnyHandler }).handler;
const api = new InProcessApi(
  await load('bulk-export'),
  await authorizerContext(await load('authorizer'), input.token),
  input.host,
);
const headers = { Authorization: `Bearer ${input.token}`, Prefer: 'respond-async' };
const { action } = input;
const result = await api.invoke({
  method: 'GET',
  path: action.kind === 'kick-off' ? action.path : action.statusPath,
  headers,
});
const location = result.headers?.['Content-Location'] ?? result.headers?.['content-location'];
const output: ExportApiWorkerOutput = {
  status: result.statusCode,
  ...(location ? { statusPath: new URL(String(location), `http://${input.host}`).pathname } : {}),
  executions,
  body: result.body ? JSON.parse(result.body) : undefined,
};
stepFunctions.close();
process.send?.(output, () => process.exit(0));
