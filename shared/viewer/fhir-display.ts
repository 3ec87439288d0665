import type { CodeableConcept, HumanName, Period, Quantity } from '@medplum/fhirtypes';

/** What a person reads for a coded concept: its text, else the first coding's display, else its code. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  const coding = concept.coding?.[0];
  return concept.text ?? coding?.display ?? coding?.code;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/London',
});

/** A FHIR date or dateTime as NHS services write dates (`12 Apr 2026`); partial dates as far as they go. */
export function displayDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}$/.test(value)) return value;
  if (/^\d{4}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${value}-01T00:00:00Z`),
    );
  }
  const date = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** A period as `12 Apr 2026 to 15 Apr 2026`, or `from 12 Apr 2026` while it is open. */
export function displayPeriod(period: Period | undefined): string | undefined {
  if (!period?.start && !period?.end) return undefined;
  if (!period.end) return `from ${displayDate(period.start)}`;
  if (!period.start) return `until ${displayDate(period.end)}`;
  return `${displayDate(period.start)} to ${displayDate(period.end)}`;
}

/** A quantity as `72 kg`. */
export function displayQuantity(q: Quantity | undefined): string | undefined {
  if (q?.value === undefined) return undefined;
  return [q.comparator, q.value, q.unit ?? q.code].filter((p) => p !== undefined).join(' ');
}

/** An NHS number as the NHS writes it for people: 3 3 4 (`943 476 5919`). */
export function spacedNhsNumber(nhs: string): string {
  return `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
}

/** A person's name, family name first in capitals as clinical systems show it (`EXAMPLE, Jane`). */
export function displayName(names: HumanName[] | undefined): string | undefined {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return undefined;
  if (name.text) return name.text;
  const given = (name.given ?? []).join(' ');
  return [name.family?.toUpperCase(), given].filter(Boolean).join(', ') || undefined;
}

/** Whole years between a birth date and a day. */
export function ageInYears(birthDate: string, on: Date): number | undefined {
  const [y, m, d] = birthDate.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}
