import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '#shared/service/functions';

// biome-ignore lint/suspicious/noExplicitAny: handlers take different event types; each caller knows its own.
export type AnyHandler = (event: any, context: any) => Promise<any>;

const loaded = new Map<FunctionName, Promise<AnyHandler>>();

/**
 * The `handler` export of a function from the function table, imported once, as Lambda would. Each call runs in
 * its own invocation scope of Lambda's `InvokeStore`, as a multi-concurrency Lambda runtime runs it, so that
 * Powertools keeps each invocation's log keys (request and correlation ids) and metrics apart while the sandbox
 * serves many at once in one process (it sets `AWS_LAMBDA_MAX_CONCURRENCY`).
 */
export function loadHandler(name: FunctionName): Promise<AnyHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    const url = pathToFileURL(resolve(functions[name].entry)).href;
    handler = Promise.all([import(url), InvokeStore.getInstanceAsync()]).then(
      ([module, store]: [{ handler: AnyHandler }, InvokeStoreBase]) =>
        (event: unknown, context: Context) =>
          store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () =>
            module.handler(event, context),
          ),
    );
    loaded.set(name, handler);
  }
  return handler;
}
