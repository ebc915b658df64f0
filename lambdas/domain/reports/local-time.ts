/**
 * Local wall-clock times → instants, with the daylight-saving edge cases made
 * explicit. `intervals.ts` goes from instants to local intervals; reports also
 * need the other direction (a schedule's "every day at 02:30", a custom range
 * written as a local date) and must say what happens when the clock skips or
 * repeats that time.
 *
 * Note: date-fns-tz `getTimezoneOffset(zone, date)` reads `date` as a wall-clock
 * time in the zone, not as an instant, so near a transition it answers for the
 * wrong hour. `offsetAt` asks for the offset of an instant through
 * `formatInTimeZone`, which does treat it as an instant.
 */
import { offsetAt } from '../time/intervals.js';

export { offsetAt };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local date and time read as if it were UTC: the "wall clock" as a number. */
function wallMs(date: string, msOfDay: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) + msOfDay;
}

/**
 * The offsets in force shortly before and shortly after a local date. The
 * date's wall times are instants within [midnight − 14 h, midnight + 38 h]
 * (offsets range from −12 h to +14 h), so the offsets are read a day before
 * its midnight and two days after. Real zones change offset at most once in
 * such a window, so when the two agree the date has no transition. Memoised:
 * schedules ask for every quarter hour of a day.
 */
const aroundCache = new Map<string, readonly [number, number]>();
function offsetsAround(date: string, zone: string): readonly [number, number] {
  const key = `${zone}|${date}`;
  let v = aroundCache.get(key);
  if (v === undefined) {
    const w0 = wallMs(date, 0);
    v = [offsetAt(w0 - DAY_MS, zone), offsetAt(w0 + 2 * DAY_MS, zone)];
    if (aroundCache.size >= 10_000) aroundCache.clear();
    aroundCache.set(key, v);
  }
  return v;
}

/**
 * Every instant at which the zone's clock shows `msOfDay` on the local `date`
 * (yyyy-MM-dd), earliest first: none when the time falls in a spring-forward
 * gap, two when it falls in a fall-back overlap, one otherwise.
 */
export function instantsAtWallTime(date: string, msOfDay: number, zone: string): number[] {
  const w = wallMs(date, msOfDay);
  const [before, after] = offsetsAround(date, zone);
  if (before === after) return [w - before];
  const out: number[] = [];
  for (const o of [before, after]) {
    const t = w - o;
    if (offsetAt(t, zone) === o && !out.includes(t)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The one instant a once-a-day event at a local time happens at: the first
 * occurrence when the clock shows the time twice (fall-back), and, when the
 * clock skips it (spring-forward), the time shifted forward by the gap
 * (America/New_York 2026-03-08 02:30 → 03:30 EDT). That is the wall time read
 * with the offset in force before the transition.
 */
export function resolveWallTime(date: string, msOfDay: number, zone: string): number {
  const first = instantsAtWallTime(date, msOfDay, zone)[0];
  return first ?? wallMs(date, msOfDay) - offsetsAround(date, zone)[0];
}
