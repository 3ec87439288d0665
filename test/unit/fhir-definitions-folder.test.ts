import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFINITIONS_FOLDER, definitionsFolder } from '#shared/fhir/definitions/definitions-folder';

const repositoryRoot = join(import.meta.dirname, '../..');

describe('definitionsFolder', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is generated/r4 beside the definitions module when run from source, with a file per R4 type', () => {
    vi.stubEnv('FHIR_DEFINITIONS_DIR', '');

    const folder = definitionsFolder();

    expect(folder).toBe(join(repositoryRoot, 'shared/fhir/definitions', DEFINITIONS_FOLDER, '/'));
    expect(existsSync(join(folder, 'core.json'))).toBe(true);
    expect(existsSync(join(folder, 'Questionnaire.json'))).toBe(true);
  });

  it('is FHIR_DEFINITIONS_DIR when that is set', () => {
    vi.stubEnv('FHIR_DEFINITIONS_DIR', '/opt/fhir-definitions');

    expect(definitionsFolder()).toBe('/opt/fhir-definitions');
  });
});

describe('the fhir function bundle', () => {
  it('carries no compiled definitions: they are read from files at first use', async () => {
    const result = await build({
      entryPoints: [join(repositoryRoot, 'functions/fhir/handler.ts')],
      absWorkingDir: repositoryRoot,
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      external: ['@aws-sdk/*', '@smithy/*'],
      logLevel: 'silent',
    });

    const inputs = Object.keys(result.metafile.inputs);

    expect(inputs).toContain('shared/fhir/validation/validate-resource.ts');
    expect(inputs.filter((i) => i.includes('shared/fhir/definitions/generated/r4/'))).toEqual([]);
  });
});
