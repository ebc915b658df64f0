/**
 * Interval arithmetic. Aggregates are kept per 15-minute UTC interval
 * ("bucket"); reports roll buckets up to 15 minutes, 30 minutes, an hour, a
 * day, a week or the whole range in any IANA time zone.
 *
 * Rolling 15-minute UTC buckets up is exact in every zone in use: all UTC
 * offsets are multiples of 15 minutes (Asia/Kolkata +5:30, Asia/Kathmandu
 * +5:45), so each UTC bucket lies inside exactly one local 15-minute, 30-minute,
 * hour and day interval, and DST changes happen on local hour boundaries.
 */
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { MAX_SPREAD_MS } from '../model/limits.js';

export const BUCKET_MS = 15 * 60 * 1000;

export const INTERVAL_SIZES = ['FIFTEEN_MIN', 'THIRTY_MIN', 'HOUR', 'DAY', 'WEEK', 'TOTAL'] as const;
export type IntervalSize = (typeof INTERVAL_SIZES)[number];

export class InvalidTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`Unknown IANA time zone: "${timeZone}"`);
    this.name = 'InvalidTimeZoneError';
  }
}

export function bucketOf(ms: number): number {
  return Math.floor(ms / BUCKET_MS);
}

export function bucketStartMs(bucket: number): number {
  return bucket * BUCKET_MS;
}

/** A span longer than `MAX_SPREAD_MS` was to be split: a bug, since validated input and capped segments never produce one. */
export class SpanTooLongError extends Error {
  constructor(
    readonly startMs: number,
    readonly endMs: number,
  ) {
    super(`Refusing to split ${startMs}..${endMs} (${((endMs - startMs) / 86_400_000).toFixed(1)} days) into 15-minute buckets: more than ${MAX_SPREAD_MS / 86_400_000} days`);
    this.name = 'SpanTooLongError';
  }
}

/**
 * Splits the half-open span [startMs, endMs) into the 15-minute buckets it
 * overlaps, with the milliseconds in each. The work is one entry per bucket,
 * so a span longer than `MAX_SPREAD_MS` (768 buckets) is refused: input
 * validation (model/limits.ts) and the segment cap in agent-activity.ts keep
 * every caller below it, and a bug must not turn into a loop over decades.
 */
export function splitByBucket(startMs: number, endMs: number): Array<{ bucket: number; ms: number }> {
  const out: Array<{ bucket: number; ms: number }> = [];
  if (!(endMs > startMs)) return out;
  if (endMs - startMs > MAX_SPREAD_MS) throw new SpanTooLongError(startMs, endMs);
  let b = bucketOf(startMs);
  let t = startMs;
  while (t < endMs) {
    const edge = (b + 1) * BUCKET_MS;
    const stop = edge < endMs ? edge : endMs;
    out.push({ bucket: b, ms: stop - t });
    t = stop;
    b++;
  }
  return out;
}

const validZones = new Map<string, boolean>();
export function isValidTimeZone(zone: string): boolean {
  let ok = validZones.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = zone.length > 0;
    } catch {
      ok = false;
    }
    validZones.set(zone, ok);
  }
  return ok;
}

export function assertTimeZone(zone: string): void {
  if (!isValidTimeZone(zone)) throw new InvalidTimeZoneError(zone);
}

/** The local calendar date (yyyy-MM-dd) of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  return formatInTimeZone(ms, zone, 'yyyy-MM-dd');
}

/**
 * The first instant of the given local date (yyyy-MM-dd) in a zone: local
 * midnight, or, where the clock skips midnight (America/Santiago moves from
 * 24:00 to 01:00), the end of that gap.
 */
export function localMidnight(date: string, zone: string): number {
  let t = fromZonedTime(`${date}T00:00:00`, zone).getTime();
  for (let i = 0; i < 8 && localDate(t, zone) < date; i++) t += 15 * 60_000;
  return t;
}

/** Calendar arithmetic on yyyy-MM-dd strings, independent of any zone. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Day of week of a yyyy-MM-dd date, 0 = Sunday. */
export function dayOfWeek(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/**
 * The zone's UTC offset in force at an instant, in ms (local = UTC + offset).
 * date-fns-tz's `getTimezoneOffset(zone, date)` reads `date` as a wall-clock
 * time in the zone, so near a transition it answers for the wrong hour;
 * `formatInTimeZone` treats its argument as an instant.
 */
export function offsetAt(ms: number, zone: string): number {
  const text = formatInTimeZone(ms, zone, 'xxx');
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * 60_000;
}

const SUB_DAY_MS: Partial<Record<IntervalSize, number>> = {
  FIFTEEN_MIN: 15 * 60 * 1000,
  THIRTY_MIN: 30 * 60 * 1000,
  HOUR: 60 * 60 * 1000,
};

/**
 * Start of the local interval of the given size that contains the instant.
 * Sub-day intervals are floored on the local wall clock at the instant's own
 * UTC offset, so on a fall-back day 01:00 EDT and 01:00 EST are two different
 * hours, and a spring-forward day has 23 of them. Weeks start on Sunday.
 */
export function intervalStart(ms: number, size: Exclude<IntervalSize, 'TOTAL'>, zone: string): number {
  const step = SUB_DAY_MS[size];
  if (step !== undefined) {
    const local = ms + offsetAt(ms, zone);
    return ms - (((local % step) + step) % step);
  }
  const date = localDate(ms, zone);
  if (size === 'DAY') return localMidnight(date, zone);
  return localMidnight(addDays(date, -dayOfWeek(date)), zone);
}

/** End (exclusive) of the local interval that starts at `startMs`. */
export function intervalEnd(startMs: number, size: Exclude<IntervalSize, 'TOTAL'>, zone: string): number {
  const step = SUB_DAY_MS[size];
  if (step !== undefined) return startMs + step;
  const date = localDate(startMs, zone);
  return localMidnight(addDays(date, size === 'DAY' ? 1 : 7), zone);
}

/**
 * Memoises bucket → local interval start for one zone and size: reports map
 * millions of cells onto a few thousand buckets, and time-zone arithmetic is
 * the expensive part.
 */
export class IntervalMapper {
  private readonly starts = new Map<number, number>();
  private readonly ends = new Map<number, number>();

  constructor(
    readonly size: Exclude<IntervalSize, 'TOTAL'>,
    readonly zone: string,
  ) {
    assertTimeZone(zone);
  }

  startOfBucket(bucket: number): number {
    let s = this.starts.get(bucket);
    if (s === undefined) {
      s = intervalStart(bucketStartMs(bucket), this.size, this.zone);
      this.starts.set(bucket, s);
    }
    return s;
  }

  endOf(start: number): number {
    let e = this.ends.get(start);
    if (e === undefined) {
      e = intervalEnd(start, this.size, this.zone);
      this.ends.set(start, e);
    }
    return e;
  }
}

/** ISO 8601 with the zone's offset at that instant, e.g. 2026-03-08T01:30:00-05:00. */
export function formatInZone(ms: number, zone: string): string {
  return formatInTimeZone(ms, zone, "yyyy-MM-dd'T'HH:mm:ssXXX");
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
