import { serviceSecret } from '../aws/service-secret.ts';

/**
 * The key paging cursors are signed with: `CURSOR_SECRET` in the sandbox, else the Secrets Manager secret
 * the stack names (`CURSOR_SECRET_ARN`).
 */
export function cursorSecret(): Promise<string> {
  return serviceSecret({ local: 'CURSOR_SECRET', arn: 'CURSOR_SECRET_ARN' });
}
