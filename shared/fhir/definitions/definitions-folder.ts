import { fileURLToPath } from 'node:url';

/** The folder of compiled R4 definitions, relative to the module that reads them. */
export const DEFINITIONS_FOLDER = 'generated/r4';

/**
 * Where the compiled R4 definitions are read from: `FHIR_DEFINITIONS_DIR` when set, otherwise `generated/r4/`
 * beside this module's URL. From the TypeScript source (the sandbox, tests, the build) that is the folder in
 * the repository; in a Lambda bundle this module is the bundle's `index.mjs`, and the CDK asset carries a copy
 * of the folder beside it (`infra/constructs/service-function.ts`).
 * @example readFileSync(join(definitionsFolder(), 'Patient.json'))
 */
export function definitionsFolder(): string {
  return (
    process.env.FHIR_DEFINITIONS_DIR || fileURLToPath(new URL(`./${DEFINITIONS_FOLDER}/`, import.meta.url))
  );
}
