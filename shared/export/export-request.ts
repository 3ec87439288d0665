import { BadRequestError } from '../fhir/operation-outcome.ts';
import { resourceTypes } from '../service/resource-types.ts';

/** Which records a kick-off asks for: the whole region, every patient's record, or one group's. */
export type ExportLevel = 'system' | 'patient' | 'group';

/** A purpose the deployment lists for identified exports (`export.identifiedPurposes` in the ICB config). */
export interface IdentifiedPurpose {
  code: string;
  description: string;
}

/** A kick-off, checked: what the export's steps run on and what the manifest and the audit repeat. */
export interface ExportRequest {
  level: ExportLevel;
  /** For a group export: the group's id (a registered practice's ODS code). */
  group?: string;
  /** The types to export, in the order asked (all the level allows when `_type` is absent). */
  types: string[];
  /** Only resources changed after this instant (`meta.lastUpdated`). */
  since?: string;
  /** Present for an identified export (`_identified=true`): the listed purpose it is for. */
  identifiedFor?: IdentifiedPurpose;
  /** The kick-off URL, as the manifest's `request` repeats it. */
  url: string;
}

/**
 * Types that are never exported: the audit trail is served by search to auditors alone, and its journal,
 * access facts, registry, viewer and export items are no resources at all (they are not in the type table).
 */
const NEVER_EXPORTED = new Set(['AuditEvent']);

/** The types an export at `level` can hold: the patient compartment, plus Organizations for the region. */
export function exportableTypes(level: ExportLevel): string[] {
  return Object.keys(resourceTypes).filter(
    (type) => !NEVER_EXPORTED.has(type) && (level === 'system' || type !== 'Organization'),
  );
}

const OUTPUT_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];
/** The kick-off's parameters (`_typeFilter` only to refuse it by name). */
export const EXPORT_PARAMETERS = [
  '_type',
  '_since',
  '_outputFormat',
  '_typeFilter',
  '_identified',
  'purpose',
];
const KNOWN = new Set(EXPORT_PARAMETERS);
// A FHIR instant: a time to the second with a zone (fractions allowed).
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a Bulk Data (v2) kick-off and answers what it asks for, or throws a 400 OperationOutcome saying what
 * is wrong: `Prefer: respond-async` is required; `_outputFormat` must be NDJSON; every `_type` must be one the
 * level serves (unless `Prefer: handling=lenient`, which leaves the others out); `_since` must be an instant; `_typeFilter` is not supported (refused rather than ignored, so an
 * analyst never mistakes an unfiltered export for a filtered one); any other parameter is refused; and
 * `_identified=true` needs a `purpose` the deployment lists.
 *
 * @example exportRequest({ level: 'system', prefer: 'respond-async', query: { _type: ['Condition'] }, url, purposes: [] })
 */
export function exportRequest(kickOff: {
  level: ExportLevel;
  group?: string;
  prefer: string | undefined;
  query: Record<string, string[]>;
  url: string;
  purposes: readonly IdentifiedPurpose[];
}): ExportRequest {
  const { level, query } = kickOff;
  const prefer = (kickOff.prefer ?? '').split(/[,;]/).map((p) => p.trim().toLowerCase());
  if (!prefer.includes('respond-async')) {
    throw new BadRequestError(
      'A Bulk Data kick-off needs the header Prefer: respond-async (the export runs in the background)',
      'required',
    );
  }
  for (const name of Object.keys(query)) {
    if (!KNOWN.has(name)) {
      throw new BadRequestError(
        `The parameter '${name}' is not supported by $export: use _type, _since, _outputFormat, or _identified with purpose`,
        'not-supported',
      );
    }
    if (name !== '_type' && (query[name]?.length ?? 0) > 1) {
      throw new BadRequestError(`The parameter '${name}' may be given once`, 'invalid');
    }
  }
  const one = (name: string) => query[name]?.[0];
  if (query._typeFilter) {
    throw new BadRequestError(
      '_typeFilter is not supported: export the types with _type (and _since) and filter the NDJSON',
      'not-supported',
    );
  }
  const format = one('_outputFormat');
  if (format !== undefined && !OUTPUT_FORMATS.includes(format)) {
    throw new BadRequestError(
      `_outputFormat '${format}' is not supported: the only format is NDJSON (${OUTPUT_FORMATS.join(', ')})`,
      'not-supported',
    );
  }
  const since = one('_since');
  if (since !== undefined && (!INSTANT.test(since) || Number.isNaN(Date.parse(since)))) {
    throw new BadRequestError(
      `_since must be a FHIR instant with a time zone, such as 2026-01-31T09:00:00Z ('${since}' is not)`,
      'invalid',
    );
  }
  return {
    level,
    ...(kickOff.group ? { group: kickOff.group } : {}),
    types: requestedTypes(level, query._type, prefer.includes('handling=lenient')),
    ...(since ? { since: new Date(since).toISOString() } : {}),
    ...identified(one('_identified'), one('purpose'), kickOff.purposes),
    url: kickOff.url,
  };
}

/** The types asked for; with `Prefer: handling=lenient` those not served are left out, as the IG allows. */
function requestedTypes(level: ExportLevel, values: string[] | undefined, lenient: boolean): string[] {
  const served = exportableTypes(level);
  if (!values) return served;
  const asked = [...new Set(values.flatMap((v) => v.split(',')).map((t) => t.trim()))];
  if (asked.includes('')) throw new BadRequestError('_type names an empty type', 'invalid');
  const unserved = asked.filter((t) => !served.includes(t));
  if (lenient && unserved.length < asked.length) return asked.filter((t) => served.includes(t));
  if (unserved.length) {
    throw new BadRequestError(
      `_type names types this export does not serve: ${unserved.join(', ')}. ` +
        `Exportable at this level: ${served.join(', ')}`,
      'not-supported',
    );
  }
  return asked;
}

function identified(
  flag: string | undefined,
  purpose: string | undefined,
  purposes: readonly IdentifiedPurpose[],
): Pick<ExportRequest, 'identifiedFor'> {
  if (flag !== undefined && flag !== 'true' && flag !== 'false') {
    throw new BadRequestError('_identified must be true or false', 'invalid');
  }
  if (flag !== 'true') {
    if (purpose !== undefined) {
      throw new BadRequestError('purpose is only for an identified export (_identified=true)', 'invalid');
    }
    return {};
  }
  const listed = purposes.find((p) => p.code === purpose);
  if (!listed) {
    const known = purposes.map((p) => p.code).join(', ') || 'none are configured';
    throw new BadRequestError(
      `An identified export (_identified=true) needs a purpose the deployment lists (${known}); ` +
        'without one, exports are pseudonymised',
      purpose === undefined ? 'required' : 'invalid',
    );
  }
  return { identifiedFor: listed };
}
