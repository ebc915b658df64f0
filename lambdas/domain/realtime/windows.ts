/**
 * Real-time report time ranges (seed user guide, "Customize Real-time Metrics
 * Reports"): a trailing window of .5, 1, 2, 4, 8, 12 or 24 hours, or
 * "Midnight to now … starting at midnight for the calendar day in that time
 * zone". Both end at the report instant, exclusive, to the millisecond.
 */
import { assertTimeZone, localDate, localMidnight } from '../time/intervals.js';

export const TRAILING_HOURS = [0.5, 1, 2, 4, 8, 12, 24] as const;
export type TrailingHours = (typeof TRAILING_HOURS)[number];

export type RealtimeWindow = { readonly kind: 'trailing'; readonly hours: TrailingHours } | { readonly kind: 'midnight'; readonly timeZone: string };

export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

export class InvalidWindowError extends Error {
  constructor(readonly value: string) {
    super(`The real-time window must be one of ${TRAILING_HOURS.join(', ')} (hours) or "midnight", got "${value}"`);
    this.name = 'InvalidWindowError';
  }
}

/** `0.5`…`24` (hours) or `midnight` (in `timeZone`, UTC by default). */
export function parseWindow(value: string, timeZone = 'UTC'): RealtimeWindow {
  const v = value.trim().toLowerCase();
  if (v === 'midnight') {
    assertTimeZone(timeZone);
    return { kind: 'midnight', timeZone };
  }
  const hours = TRAILING_HOURS.find((h) => String(h) === v || (v.startsWith('.') && String(h) === `0${v}`));
  if (hours === undefined) throw new InvalidWindowError(value);
  return { kind: 'trailing', hours };
}

export function windowRange(w: RealtimeWindow, nowMs: number): TimeRange {
  if (w.kind === 'trailing') return { startMs: nowMs - Math.round(w.hours * 3_600_000), endMs: nowMs };
  return { startMs: localMidnight(localDate(nowMs, w.timeZone), w.timeZone), endMs: nowMs };
}

export function describeWindow(w: RealtimeWindow): string {
  return w.kind === 'trailing' ? `trailing ${w.hours} h` : `midnight to now (${w.timeZone})`;
}
