/**
 * Value formatting for report CSVs, driven by the registry's metric units.
 * Amazon Connect's downloaded and scheduled CSVs give durations in seconds
 * ("All times in the online report are in hours:minutes:seconds ... All times
 * in the downloaded report are in seconds", download-historical-metrics-report.md),
 * percentages with two decimals and a `%`, and a dash where a metric has no data
 * ("Metrics for which there is no data to include in the report show a dash in
 * the downloaded .csv file", seed user guide). No thousands separators anywhere.
 */
import Papa from 'papaparse';
import type { MetricUnit } from '../metrics/registry.js';
import { formatInZone } from '../time/intervals.js';

export const DURATION_FORMATS = ['HH_MM_SS', 'SECONDS'] as const;
/**
 * SECONDS: plain decimal seconds, what Connect's CSVs carry and a program can
 * load (the default of report definitions, DEFAULT_DURATION_FORMAT).
 * HH_MM_SS: the online report's format, for people (the default here, for the
 * real-time views and the console summaries).
 */
export type DurationFormat = (typeof DURATION_FORMATS)[number];

/** What a report shows for a metric with no data. */
export const NO_DATA = '-';

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A duration in seconds. SECONDS gives plain decimal seconds: whole seconds
 * as integers (375), averages with up to 3 decimals (milliseconds, the
 * precision of the input timestamps) and no trailing zeros (295.6, 5.005),
 * never an exponent or a thousands separator. HH_MM_SS rounds to whole seconds
 * (half up) and does not wrap hours at 24 (97329 s → 27:02:09).
 */
export function formatDuration(seconds: number, format: DurationFormat = 'HH_MM_SS'): string {
  if (format === 'SECONDS') {
    const v = Math.round(seconds * 1000) / 1000;
    return String(v === 0 ? 0 : v);
  }
  const whole = Math.round(Math.abs(seconds));
  const sign = seconds < 0 && whole > 0 ? '-' : '';
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${sign}${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

/** A percentage (0–100) with two decimals: 85.714 → 85.71%. */
export function formatPercent(value: number): string {
  const v = Math.round(value * 100) / 100;
  return `${(v === 0 ? 0 : v).toFixed(2)}%`;
}

/** A count as an integer. */
export function formatCount(value: number): string {
  const v = Math.round(value);
  return String(v === 0 ? 0 : v);
}

/** A metric value as the report shows it; `null` (no data) is a dash. */
export function formatMetricValue(unit: MetricUnit, value: number | null, durationFormat: DurationFormat = 'HH_MM_SS'): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'seconds':
      return formatDuration(value, durationFormat);
    case 'percent':
      return formatPercent(value);
  }
}

/** An instant as ISO 8601 with the zone's offset at that instant, e.g. 2026-03-08T01:30:00-05:00. */
export function formatInstant(ms: number, zone: string): string {
  return formatInZone(ms, zone);
}

/** What spreadsheets read as the start of a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell (a name, login, status, phone number, channel, id: anything
 * that comes from input) made safe to open in a spreadsheet, following
 * OWASP's CSV-injection guidance: a cell starting with `=`, `+`, `-`, `@`,
 * tab or carriage return is read as a formula by Excel, LibreOffice and
 * Google Sheets, so it gets a leading single quote, which they show as text.
 *
 * For text cells only, and done here rather than with papaparse's
 * `escapeFormulae`, which tests every cell: it would also quote the bare `-`
 * that marks no data (and a negative number). Numbers, durations and
 * percentages are formatted by this module and never start with these
 * characters; the bare `-` stays a dash even as a label.
 */
export function csvText(value: string): string {
  return value !== NO_DATA && FORMULA_START.test(value) ? `'${value}` : value;
}

/** An E.164 phone number: `+`, then up to 15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * A phone-number cell: an E.164 number (`+18005550100`, as Connect writes
 * `SystemEndpoint.Address`) is left as it is, since a spreadsheet reads it as
 * a number and nothing runs, and quoting it would change every phone-number
 * report; anything else is text (`csvText`).
 */
export function csvPhoneNumber(value: string): string {
  return E164.test(value) ? value : csvText(value);
}

/** A whole report as CSV text (RFC 4180: CRLF line ends, fields quoted where needed). */
export function toCsv(header: readonly string[], rows: Iterable<readonly string[]>): string {
  return Papa.unparse({ fields: [...header], data: Array.from(rows, (r) => [...r]) }, { newline: '\r\n' });
}
