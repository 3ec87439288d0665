import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FunctionName, functions } from '#infra/functions';

// biome-ignore lint/suspicious/noExplicitAny: handlers take different event types; each caller knows its own.
export type AnyHandler = (event: any, context: any) => Promise<any>;

const loaded = new Map<FunctionName, Promise<AnyHandler>>();

/** The `handler` export of a function from the function table, imported once, as Lambda would. */
export function loadHandler(name: FunctionName): Promise<AnyHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    const url = pathToFileURL(resolve(functions[name].entry)).href;
    handler = import(url).then((m: { handler: AnyHandler }) => m.handler);
    loaded.set(name, handler);
  }
  return handler;
}
