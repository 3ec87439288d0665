/**
 * What may be logged of an unexpected error: its name and where it was thrown, never its message, which can
 * quote the data that caused it (a key holding an NHS number, a value from the request).
 * @example logger.error('Unhandled error', { error: errorSummary(e) })
 */
export function errorSummary(e: unknown): { name: string; frames: string[] } {
  if (!(e instanceof Error)) return { name: typeof e, frames: [] };
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 12)
    .map((line) => line.trim());
  return { name: e.name, frames };
}
