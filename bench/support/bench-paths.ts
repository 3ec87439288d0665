import { join, resolve } from 'node:path';

/** Where the benchmark keeps what it builds and starts (gitignored), and what it reports. */
export const benchDir = resolve(import.meta.dirname, '..');
export const tmpDir = join(benchDir, 'tmp');
export const repositoryRoot = resolve(benchDir, '..');
