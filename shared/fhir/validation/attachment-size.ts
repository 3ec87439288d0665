import type { Issue } from '../operation-outcome.ts';
import { isBase64 } from './primitive-values.ts';

/** The number of bytes a base64 text decodes to. */
function decodedLength(base64: string): number {
  const compact = base64.replace(/\s+/g, '');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return (compact.length / 4) * 3 - padding;
}

/** Checks that an Attachment's stated `size` is the size of its inline `data`. */
export function checkAttachmentSize(attachment: unknown, path: string, issues: Issue[]): void {
  const { data, size } = (attachment ?? {}) as { data?: unknown; size?: unknown };
  if (typeof data !== 'string' || typeof size !== 'number' || !isBase64(data)) return;
  const actual = decodedLength(data);
  if (actual !== size) {
    issues.push({
      severity: 'error',
      code: 'value',
      diagnostics: `The stated attachment size ${size} does not match the ${actual} bytes of its data`,
      expression: [`${path}.size`],
    });
  }
}
