import { JOURNAL_PREFIX } from '#shared/service/table-design';

let failing = false;

/** Makes the audit store fail (or recover), so tests can show a read is refused when it cannot be audited. */
export function setAuditFailing(value: boolean): void {
  failing = value;
}

/**
 * Installs the fault on the handlers' own DynamoDB document client (same process, same module): while set,
 * every write of a journal entry on its own — the audit a read makes before answering — fails.
 */
export async function installAuditFault(): Promise<void> {
  const { documentClient } = await import('#shared/aws/clients');
  documentClient.middlewareStack.add(
    (next) => async (args) => {
      const item = (args.input as { Item?: { SK?: unknown } }).Item;
      const sk = typeof item?.SK === 'string' ? item.SK : (item?.SK as { S?: string } | undefined)?.S;
      if (failing && sk?.startsWith(JOURNAL_PREFIX))
        throw new Error('Sandbox fault: the audit store is unavailable');
      return next(args);
    },
    { step: 'initialize', name: 'sandboxAuditFault' },
  );
}
