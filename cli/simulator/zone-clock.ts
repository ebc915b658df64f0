/**
 * Time helpers: UTC timestamp formats used by Amazon Connect, 15-minute UTC
 * intervals, and local-time arithmetic in an IANA zone (shifts and arrival
 * rates follow the local clock, reports use UTC intervals).
 */
import { getTimezoneOffset } from 'date-fns-tz';

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const INTERVAL_MS = 15 * MINUTE_MS;

/** Contact record format: whole seconds, `yyyy-mm-ddThh:mm:ssZ`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** Agent event format: `yyyy-mm-ddThh:mm:ss.sssZ`. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

export function intervalIndex(ms: number): number {
  return Math.floor(ms / INTERVAL_MS);
}

/** The next whole second strictly after `ms`. */
export function nextWholeSecondAfter(ms: number): number {
  return Math.floor(ms / SECOND_MS) * SECOND_MS + SECOND_MS;
}

export function ceilSecond(ms: number): number {
  return Math.ceil(ms / SECOND_MS) * SECOND_MS;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

/**
 * Local time in one zone. UTC offsets are cached per 15-minute UTC block:
 * every zone's offset is a multiple of 15 minutes and changes on a
 * 15-minute UTC boundary, so one lookup per block is exact.
 */
export class ZoneClock {
  private readonly cache = new Map<number, number>();

  constructor(readonly timeZone: string) {
    if (!isValidTimeZone(timeZone)) throw new Error(`Unknown time zone: ${timeZone}`);
  }

  offsetMs(utcMs: number): number {
    const block = Math.floor(utcMs / INTERVAL_MS);
    let off = this.cache.get(block);
    if (off === undefined) {
      off = getTimezoneOffset(this.timeZone, new Date(block * INTERVAL_MS));
      if (Number.isNaN(off)) throw new Error(`Unknown time zone: ${this.timeZone}`);
      this.cache.set(block, off);
    }
    return off;
  }

  local(utcMs: number): LocalParts {
    const d = new Date(utcMs + this.offsetMs(utcMs));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    };
  }

  localHour(utcMs: number): number {
    return new Date(utcMs + this.offsetMs(utcMs)).getUTCHours();
  }

  /**
   * UTC instant of a local wall-clock time (two refinement steps). A time in
   * a DST gap or overlap resolves to one of the nearby instants, which is all
   * shift planning needs.
   */
  toUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    let utc = wall - this.offsetMs(wall);
    utc = wall - this.offsetMs(utc);
    return utc;
  }
}
