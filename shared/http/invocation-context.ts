import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

const invocation = new AsyncLocalStorage<Context>();

/**
 * Keeps the Lambda context of the invocation under way, for code deep in a request that needs it without every
 * caller passing it down (Powertools idempotency reads the time left from it). Per async context, so the
 * sandbox's concurrent requests each see their own.
 */
export function invocationContext(): MiddlewareObj {
  return {
    before: (request) => {
      invocation.enterWith(request.context);
    },
  };
}

/** The Lambda context of the invocation this code runs in, if a handler registered `invocationContext()`. */
export function currentInvocation(): Context | undefined {
  return invocation.getStore();
}
