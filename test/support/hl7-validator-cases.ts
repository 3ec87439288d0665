import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const validatorFolder = join(import.meta.dirname, '../../../shared/fhir-test-cases/validator');

/** One case of HL7's validator tests, with the Java validator's verdict and errors. */
export interface ManifestCase {
  name: string;
  file: string;
  resourceType: string;
  valid: boolean;
  errors: string[];
}

/** The cases of `fhir-test-cases/validator/manifest.json`, each with its resource. */
export function hl7ValidatorCases(): (ManifestCase & { resource: unknown })[] {
  const manifest = JSON.parse(readFileSync(join(validatorFolder, 'manifest.json'), 'utf8')) as {
    cases: ManifestCase[];
  };
  return manifest.cases.map((c) => ({
    ...c,
    resource: JSON.parse(readFileSync(join(validatorFolder, c.file), 'utf8')),
  }));
}

/**
 * Invalid cases whose verdict rests on what this validator does not evaluate, by design: it checks base R4, not
 * profiles, extension definitions, terminology, signatures or resources outside the one validated.
 */
export const beyondBaseR4: Record<string, string> = {
  'sp-diff-type': 'compares with the SearchParameter it is derivedFrom, which must be fetched',
  'obs-temp-bad': 'fails the body temperature profile (a LOINC code it requires), not base R4',
  'pat-dob-ext':
    'an extension whose definition cannot be found; FHIR lets a server accept extensions it does not know',
  'pat-example-extensions': 'an unknown extension and the policy against example.org URLs, as above',
  'maiden-name-extension': "judged against the R5 extension pack's definition of humanname-mothers-family",
  'ips-htmlrefs-backwards':
    'the narrativeLink extension definition (R5) and references resolved inside the Bundle',
  'vs-params-4': "a rule of HL7's validator on the ValueSet parameter extension, not of R4",
  'signatures-example-2': 'verifies a digital signature against its certificate',
};
