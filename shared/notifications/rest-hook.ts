import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { publicOnlyLookup } from '../subscriptions/endpoint-resolution.ts';

/** A notification the endpoint did not accept; the message is what `$status` shows as the last error. */
export class DeliveryFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailedError';
  }
}

/** What the endpoint is sent: the exact body (as signed) and the headers. */
export interface RestHookRequest {
  endpoint: string;
  /** A sandbox endpoint: skips the public-address check on the connection. */
  local: boolean;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a notification and resolves when the endpoint answers 2xx. Redirects are not followed, and unless the
 * endpoint is local the connection is only made to public addresses (checked on the address connected to).
 * @throws DeliveryFailedError for any other answer, a refused or unreachable endpoint, or no answer in time
 */
export function postNotification(hook: RestHookRequest): Promise<void> {
  const url = new URL(hook.endpoint);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new DeliveryFailedError(message));
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...hook.headers, 'Content-Length': String(Buffer.byteLength(hook.body)) },
        ...(hook.local ? {} : { lookup: publicOnlyLookup }),
        timeout: hook.timeoutMs,
      },
      (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else fail(`The endpoint answered HTTP ${status}`);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${hook.timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code
          ? `The endpoint could not be reached (${e.code})`
          : `The endpoint could not be reached: ${e.message}`,
      ),
    );
    req.end(hook.body);
  });
}
