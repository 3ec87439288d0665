import type { Organization } from '@medplum/fhirtypes';
import { readCurrent } from '../record/record-store.ts';
import { ownPartition } from '../service/table-design.ts';

// Organisations are few and their names rarely change: a warm container keeps what it has read.
const known = new Map<string, string>();

/** The names of organisations by ODS code, as the record's Organizations give them (the code when unknown). */
export async function organisationNames(odsCodes: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(odsCodes)];
  await Promise.all(
    wanted
      .filter((ods) => !known.has(ods))
      .map(async (ods) => {
        const stored = await readCurrent('Organization', ods, ownPartition('Organization', ods));
        const name = (stored?.resource as Organization | undefined)?.name;
        if (name) known.set(ods, name);
      }),
  );
  return new Map(wanted.map((ods) => [ods, known.get(ods) ?? ods]));
}
