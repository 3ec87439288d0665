/**
 * The span of time a FHIR date, dateTime or instant stands for, as search compares them (R4 search §3.1.1.4.2):
 * `2024` is the whole year, `2024-03-05T10:00Z` the whole minute. Half-open, in milliseconds since the epoch;
 * an open end (a Period without `end`) is ±Infinity.
 */
export interface DateRange {
  low: number;
  high: number;
}

const pattern =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Date.UTC, but taking years 0-99 literally (Date.UTC reads them as 1900-1999). */
function utc(
  year: number,
  monthIndex: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

/**
 * The range a date, dateTime or instant covers at its own precision, or undefined when `text` is not one.
 * Values without a time zone are taken as UTC, so that a search means the same wherever it runs.
 * @example dateRange('2024-03') // { low: Date.UTC(2024, 2, 1), high: Date.UTC(2024, 3, 1) }
 */
export function dateRange(text: string): DateRange | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (zone && zone !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneHours > 14 || zoneMinutes > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const low = utc(year, month - 1, day, hour, minute, second, millis) - offset * 60_000;
  let high: number;
  if (mo === undefined) high = utc(year + 1, 0, 1);
  else if (d === undefined) high = utc(year, month, 1);
  else if (h === undefined) high = utc(year, month - 1, day + 1);
  else if (s === undefined) high = low + 60_000;
  else if (fraction === undefined) high = low + 1000;
  else high = low + Math.max(1, 10 ** (3 - fraction.length));
  return { low, high };
}
