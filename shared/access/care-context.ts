import type { Reference, Resource } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../fhir/ods-code.ts';
import { UnprocessableEntityError } from '../fhir/operation-outcome.ts';
import { resourceType } from '../service/resource-types.ts';

/**
 * An organisation's care contexts for one patient, as the relationship facts keep them: each care context's
 * reference (`Encounter/123`) and when it ended (an ISO instant), or `open`.
 */
export type CareContexts = Record<string, string>;
export const OPEN = 'open';

/** What one version of a care context says: the organisations it relates, and until when. */
export interface CareContextClaim {
  reference: string;
  /** The organisations it gives a relationship; empty when it counts for nothing (draft, entered in error). */
  organisations: string[];
  /** `open`, or the instant it ended. */
  ends: string;
}

/**
 * The care context a stored version is, or undefined for a type that is none. Whether it is open is judged
 * from its status (CONTRACT §4); an ended one ended at its period's `end`, never later than when the ending was
 * recorded (a date in the future buys no extra time), or when it was recorded if it gives no end.
 * @example careContextOf(encounter, 'RX1', '2026-03-01T10:00:00Z') // { reference: 'Encounter/1', organisations: ['RX1'], ends: 'open' }
 */
export function careContextOf(
  resource: Resource,
  contributor: string,
  recorded: string,
  deleted = false,
): CareContextClaim | undefined {
  const rule = resourceType(resource.resourceType)?.careContext;
  if (!rule) return undefined;
  const reference = `${resource.resourceType}/${resource.id}`;
  const status = (resource as { status?: string }).status ?? '';
  const counts = !deleted && (rule.open.includes(status) || rule.ended.includes(status));
  if (!counts) return { reference, organisations: [], ends: OPEN };
  const organisations =
    rule.organisation.kind === 'provider'
      ? [contributor]
      : organisationsNamed(resource, rule.organisation.element);
  if (rule.open.includes(status)) return { reference, organisations, ends: OPEN };
  const periodEnd = (resource as unknown as Record<string, { end?: string } | undefined>)[rule.period]?.end;
  const end =
    periodEnd && !Number.isNaN(Date.parse(periodEnd)) ? new Date(periodEnd).toISOString() : recorded;
  return { reference, organisations, ends: end < recorded ? end : recorded };
}

/**
 * Sets the organisation of a care context that its contributor provides (`Encounter.serviceProvider`,
 * `EpisodeOfCare.managingOrganization`) where absent; naming another organisation there is refused (422), as an
 * organisation may claim a relationship only for itself (CONTRACT §4).
 */
export function withCareProvider<T extends Resource>(resource: T, contributor: string): T {
  const rule = resourceType(resource.resourceType)?.careContext;
  if (rule?.organisation.kind !== 'provider') return resource;
  const { element } = rule.organisation;
  const named = (resource as unknown as Record<string, Reference | undefined>)[element];
  if (!named) return { ...resource, [element]: { reference: `Organization/${contributor}` } };
  if (odsCodeOf(named) !== contributor) {
    throw new UnprocessableEntityError(
      `${resource.resourceType}.${element} must be the contributing organisation (Organization/${contributor}): a care context is recorded by the organisation that gives the care`,
      [
        {
          code: 'business-rule',
          diagnostics: `${element} names another organisation`,
          expression: [`${resource.resourceType}.${element}`],
        },
      ],
    );
  }
  return resource;
}

/** The ODS code a reference to an Organization names, by `Organization/{ods}` or an ODS identifier. */
export function odsCodeOf(reference: Reference | undefined): string | undefined {
  if (reference?.identifier?.system === ODS_CODE_SYSTEM && reference.identifier.value) {
    return reference.identifier.value;
  }
  return /(?:^|\/)Organization\/([A-Z0-9]+)$/.exec(reference?.reference ?? '')?.[1];
}

function organisationsNamed(resource: Resource, element: string): string[] {
  const value = (resource as unknown as Record<string, Reference | Reference[] | undefined>)[element];
  const references = Array.isArray(value) ? value : value ? [value] : [];
  return [...new Set(references.map(odsCodeOf).filter((c): c is string => !!c))];
}
