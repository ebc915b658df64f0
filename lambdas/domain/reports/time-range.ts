/**
 * Report time ranges, resolved as of an instant (a scheduled run's time T) in
 * the report's time zone. Calendar ranges follow the seed user guide
 * ("Customize Historical Metrics Reports", Time range): a day starts at
 * 12:00 AM in the selected time zone, so a day is 23 or 25 hours long on DST
 * days, and "Last x days", "Month to date" and "Last 30 days" leave out the
 * current day.
 *
 * All ranges are half-open: [startMs, endMs).
 */
import { addDays, dayOfWeek, localDate, localMidnight } from '../time/intervals.js';
import { instantsAtWallTime, offsetAt, resolveWallTime } from './local-time.js';

export const NAMED_TIME_RANGES = [
  'TODAY',
  'LAST_24_HOURS',
  'YESTERDAY',
  'LAST_2_DAYS',
  'LAST_3_DAYS',
  'LAST_7_DAYS',
  'LAST_WEEK',
  'MONTH_TO_DATE',
  'LAST_30_DAYS',
  'PREVIOUS_MONTH',
] as const;
export type NamedTimeRange = (typeof NAMED_TIME_RANGES)[number];

/**
 * A custom range. Each end is ISO 8601: with `Z` or an offset it is that
 * instant; without one (`2026-03-01` or `2026-03-01T08:00`) it is local time
 * in the report's zone, a date alone meaning its local midnight.
 */
export interface CustomTimeRange {
  readonly start: string;
  readonly end: string;
}
/**
 * A relative range: the N hours (N > 0, a multiple of 0.25) or the N whole
 * days that end at the scheduled time, as Amazon Connect's "for the previous
 * N hour(s)" (see `resolveTimeRange` for DST days).
 */
export type RelativeTimeRange = { readonly previousHours: number } | { readonly previousDays: number };
export type TimeRange = NamedTimeRange | CustomTimeRange | RelativeTimeRange;

export function isCustomTimeRange(range: TimeRange): range is CustomTimeRange {
  return typeof range !== 'string' && 'start' in range;
}

export function isRelativeTimeRange(range: TimeRange): range is RelativeTimeRange {
  return typeof range !== 'string' && ('previousHours' in range || 'previousDays' in range);
}

/** The nominal length of a relative range in ms (N hours, or N × 24 hours; a local day may be 23 or 25 hours). */
export function relativeRangeMs(range: RelativeTimeRange): number {
  return 'previousHours' in range ? range.previousHours * HOUR_MS : range.previousDays * 24 * HOUR_MS;
}

export interface ResolvedRange {
  readonly startMs: number;
  readonly endMs: number;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * One end of a custom range as an instant, or null when the text is not a
 * valid ISO 8601 date or date-time (as described on `CustomTimeRange`).
 * Local times the clock skips are shifted forward by the gap; local times it
 * shows twice mean the first occurrence (see `resolveWallTime`).
 */
export function parseRangeInstant(text: string, zone: string): number | null {
  const m = ISO_RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const frac = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const offset = m[8];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const msOfDay = ((h * 60 + mi) * 60 + s) * 1000 + frac;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (offset === undefined) return resolveWallTime(date, msOfDay, zone);
  if (offset === 'Z') return Date.UTC(y, mo - 1, d) + msOfDay;
  const sign = offset.startsWith('-') ? -1 : 1;
  const oh = Number(offset.slice(1, 3));
  const om = Number(offset.slice(4, 6));
  if (oh > 14 || om > 59) return null;
  return Date.UTC(y, mo - 1, d) + msOfDay - sign * (oh * 60 + om) * 60 * 1000;
}

/** The first day (yyyy-MM-dd) of the month of a date, shifted by `months`. */
function firstOfMonth(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
}

export class InvalidTimeRangeError extends Error {
  constructor(readonly range: CustomTimeRange) {
    super(`Invalid custom time range: start ${JSON.stringify(range.start)}, end ${JSON.stringify(range.end)}`);
    this.name = 'InvalidTimeRangeError';
  }
}

/** A clock reading (ms since 1970 read as if UTC) as a local date and a time of day. */
function splitWall(wall: number): [string, number] {
  const day = Math.floor(wall / DAY_MS) * DAY_MS;
  return [new Date(day).toISOString().slice(0, 10), wall - day];
}

/**
 * Where a relative range ending at `endMs` starts.
 *
 * previousHours N: N hours earlier in real time, or earlier still when the
 * clock was turned back in between, so that the range also reaches back N
 * hours on the local clock (to the latest instant the clock showed that time;
 * a time the clock skipped is taken at the end of the gap). A clock-time
 * series "every N hours" then never leaves the extra hour of a fall-back day
 * uncovered.
 *
 * previousDays N: the same clock time N local days earlier (a day is 23 or 25
 * hours on DST days), the first time the clock showed it, or the end of the
 * gap if the clock skipped it, as DAILY schedules resolve their run time. A
 * run moved to the end of a spring-forward gap (02:30 → 03:30) reaches back to
 * its nominal clock time (02:30 the day before).
 */
function relativeStart(range: RelativeTimeRange, endMs: number, zone: string): number {
  if ('previousHours' in range) {
    const [date, msOfDay] = splitWall(endMs + offsetAt(endMs, zone) - range.previousHours * HOUR_MS);
    const showings = instantsAtWallTime(date, msOfDay, zone).filter((t) => t <= endMs);
    const onClock = showings[showings.length - 1] ?? resolveWallTime(date, msOfDay, zone);
    return Math.min(endMs - range.previousHours * HOUR_MS, onClock);
  }
  // The clock time of the run, read with the offset in force now and an hour ago (before a spring-forward gap).
  const starts = [offsetAt(endMs, zone), offsetAt(endMs - HOUR_MS, zone)].map((offset) => {
    const [date, msOfDay] = splitWall(endMs + offset);
    return resolveWallTime(addDays(date, -range.previousDays), msOfDay, zone);
  });
  return Math.min(...starts);
}

/**
 * The half-open range a report covers when run as of `asOfMs` (a scheduled
 * run's time T).
 *
 * One rule makes a series of runs leave no gap: every range ends at T or at
 * the last boundary of its kind at or before T, and covers the period that
 * contains the instant just before that end. So the run at midnight of a
 * TODAY report covers the day that just ended (not the new, empty day), and a
 * MONTH_TO_DATE run on the 1st covers the month that just ended.
 *
 * - TODAY: from the midnight of the local day containing T − 1 ms to T.
 *   "Today (since 12 am)"; at 00:00 exactly, the whole day before.
 * - LAST_24_HOURS: T − 24 h → T. "the previous 24 hours from the current time".
 * - { previousHours: N }: the N hours ending at T; on a day the clock goes back,
 *   also N hours back on the local clock (see `relativeStart`), so it is never
 *   shorter than the clock-time span between two runs of a clock-time schedule.
 * - { previousDays: N }: from the same clock time N local days before T, to T.
 * - YESTERDAY: the local day before the last local midnight ≤ T (23 h or 25 h on DST days).
 *   "the previous calendar day, determined by the time zone selected".
 * - LAST_2_DAYS, LAST_3_DAYS, LAST_7_DAYS, LAST_30_DAYS: the N local days before
 *   the last midnight ≤ T. "The report does not include data from the current day."
 * - LAST_WEEK: the Sunday-to-Sunday week before the last Sunday midnight ≤ T.
 *   "from Sunday at 12:00:00 AM to Saturday at 11:59:59 PM".
 * - MONTH_TO_DATE: up to the last midnight ≤ T, from the 1st of the month of the
 *   day before it: "up to 12:00:00 AM the current day. Metrics from the current
 *   day ... are not included." On the 1st, the whole previous month.
 * - PREVIOUS_MONTH: the 1st of the previous month → the 1st of this month (January → December).
 * - custom: as written (see `CustomTimeRange`); throws `InvalidTimeRangeError` if
 *   an end does not parse or start is after end (definitions validation prevents both).
 *
 * Scheduled Amazon Connect historical reports treat a scheduled Yesterday like
 * Last 24 hours and use the UTC day (newer schedule-historical-metrics-report
 * page); this project keeps the seed's calendar semantics in the report's zone,
 * as the report-definitions issue asks.
 */
export function resolveTimeRange(range: TimeRange, asOfMs: number, zone: string): ResolvedRange {
  if (typeof range !== 'string') {
    if (isRelativeTimeRange(range)) return { startMs: relativeStart(range, asOfMs, zone), endMs: asOfMs };
    const startMs = parseRangeInstant(range.start, zone);
    const endMs = parseRangeInstant(range.end, zone);
    if (startMs === null || endMs === null || startMs > endMs) throw new InvalidTimeRangeError(range);
    return { startMs, endMs };
  }
  const today = localDate(asOfMs, zone);
  const midnight = (date: string) => localMidnight(date, zone);
  const lastDays = (n: number) => ({ startMs: midnight(addDays(today, -n)), endMs: midnight(today) });
  switch (range) {
    case 'TODAY':
      return { startMs: midnight(localDate(asOfMs - 1, zone)), endMs: asOfMs };
    case 'LAST_24_HOURS':
      return { startMs: asOfMs - 24 * HOUR_MS, endMs: asOfMs };
    case 'YESTERDAY':
      return lastDays(1);
    case 'LAST_2_DAYS':
      return lastDays(2);
    case 'LAST_3_DAYS':
      return lastDays(3);
    case 'LAST_7_DAYS':
      return lastDays(7);
    case 'LAST_30_DAYS':
      return lastDays(30);
    case 'LAST_WEEK': {
      const thisSunday = addDays(today, -dayOfWeek(today));
      return { startMs: midnight(addDays(thisSunday, -7)), endMs: midnight(thisSunday) };
    }
    case 'MONTH_TO_DATE':
      return { startMs: midnight(firstOfMonth(addDays(today, -1), 0)), endMs: midnight(today) };
    case 'PREVIOUS_MONTH':
      return { startMs: midnight(firstOfMonth(today, -1)), endMs: midnight(firstOfMonth(today, 0)) };
  }
}
