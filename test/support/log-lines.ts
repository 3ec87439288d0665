import { readFileSync } from 'node:fs';

/**
 * The lines `local/start.ts` prints for the person who started the sandbox, plain text by design: CONTRACT §1
 * promises `Sandbox ready: <url>`, and scripts wait for it. Everything else the sandbox prints is a JSON log line.
 */
export const BANNER_LINES = [
  /^Sandbox ready: /,
  /^FHIR base: /,
  /^Stopping the sandbox /,
  /^The sandbox could not start: /,
];

export interface LogLines {
  /** Parsed JSON lines. */
  json: Record<string, unknown>[];
  banner: string[];
  /** Lines that are neither: each one a failure. */
  other: string[];
}

/**
 * The complete lines of a log file (a line still being written is left out), sorted into JSON, banner and other.
 * Blank lines are ignored.
 */
export function readLogLines(file: string): LogLines {
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  const result: LogLines = { json: [], banner: [], other: [] };
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (BANNER_LINES.some((pattern) => pattern.test(line))) {
      result.banner.push(line);
      continue;
    }
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        result.json.push(parsed as Record<string, unknown>);
        continue;
      }
    } catch {
      // Not JSON: reported below.
    }
    result.other.push(line);
  }
  return result;
}

/**
 * The request id a log line carries: API Gateway's (`requestId`, on every line of an API request) or Lambda's
 * (`function_request_id`, on every line of any invocation, stream and queue consumers included).
 */
export function requestIdOf(line: Record<string, unknown>): string | undefined {
  const id = line.requestId ?? line.function_request_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
