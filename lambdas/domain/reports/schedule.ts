/**
 * When scheduled reports run, and where their files go.
 *
 * A run scheduled at T covers its time range as of T and is generated at
 * T + 15 minutes, never earlier: "For scheduled reports, there is a delay of
 * 15 minutes after the scheduled report time before the report is generated"
 * (schedule-historical-metrics-report.md).
 *
 * The scheduler keeps one watermark, the last time it checked. Each check asks
 * for the runs whose generation time lies in (lastChecked, now]; consecutive
 * windows tile the time line, so every run is returned exactly once however
 * the checks are spaced, and a check after downtime returns every missed run.
 * `runId` is stable, so a writer can also use it to skip a run it already wrote.
 *
 * Schedule times are local times in the report's zone:
 * - DAILY / WEEKLY / MONTHLY at `at`: once per local day it runs on (MONTHLY:
 *   `dayOfMonth`, or the month's last day for LAST). A time the clock skips on
 *   spring-forward day runs shifted forward by the gap (02:30 → 03:30); a time
 *   the clock shows twice on fall-back day runs once, at the first occurrence.
 * - Clock grids — EVERY_15_MIN, EVERY_30_MIN, HOURLY, and HOURLY every N hours
 *   starting at `startingAt`: whenever the local clock shows `at` plus a whole
 *   number of periods. Every period divides 24 hours, so the grid is the same
 *   every day and runs straight across midnight (every 8 hours starting at
 *   01:00 is 01:00, 09:00, 17:00 every day; starting at 17:00 is the same
 *   grid). Runs follow the clock: a grid time the clock shows twice (fall-back)
 *   runs twice, and a grid time the clock skips (spring-forward) runs once, at
 *   the end of the gap — for periods of an hour or less that is the next grid
 *   time, so there is simply no extra run. So periods up to an hour give one run
 *   per real period; for longer periods the runs around a DST change are N − 1
 *   or N + 1 real hours apart (or an extra run in the repeated hour), and the
 *   relative ranges stretch to cover the gap (see time-range.ts).
 */
import { addDays, dayOfWeek, isoUtc, localDate } from '../time/intervals.js';
import { DAYS_OF_WEEK } from './definitions.js';
import type { ReportDefinition, Schedule } from './definitions.js';
import { instantsAtWallTime, resolveWallTime } from './local-time.js';
import { resolveTimeRange } from './time-range.js';
import type { ResolvedRange } from './time-range.js';

export const GENERATION_DELAY_MS = 15 * 60 * 1000;

const MINUTE_MS = 60 * 1000;

function runsOnDate(schedule: Schedule, date: string, days: ReadonlySet<number>): boolean {
  switch (schedule.frequency) {
    case 'WEEKLY':
      return days.has(dayOfWeek(date));
    case 'MONTHLY': {
      const day = Number(date.slice(8, 10));
      if (schedule.dayOfMonth === 'LAST') return addDays(date, 1).slice(8, 10) === '01';
      return day === schedule.dayOfMonth;
    }
    default:
      return true;
  }
}

function minutesOf(at: string): number {
  return Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));
}

/** Every schedule time T of a report in (fromMs, toMs], ascending. */
export function scheduledTimes(def: Pick<ReportDefinition, 'schedule' | 'timeZone'>, fromMs: number, toMs: number): number[] {
  if (!(toMs > fromMs)) return [];
  const { at, daysOfWeek, periodMinutes: period } = def.schedule;
  const zone = def.timeZone;
  const atMin = minutesOf(at);
  const days = new Set(daysOfWeek.map((d) => DAYS_OF_WEEK.indexOf(d)));
  const found = new Set<number>();
  const keep = (t: number) => {
    if (t > fromMs && t <= toMs) found.add(t);
  };
  // One local day either side: a local day's times can fall outside its UTC day.
  const last = addDays(localDate(toMs, zone), 1);
  for (let date = addDays(localDate(fromMs, zone), -1); date <= last; date = addDays(date, 1)) {
    if (period !== null) {
      for (let m = atMin % period; m < 24 * 60; m += period) {
        const shown = instantsAtWallTime(date, m * MINUTE_MS, zone);
        if (shown.length === 0) keep(resolveWallTime(date, m * MINUTE_MS, zone));
        for (const t of shown) keep(t);
      }
    } else if (runsOnDate(def.schedule, date, days)) {
      keep(resolveWallTime(date, atMin * MINUTE_MS, zone));
    }
  }
  return [...found].sort((a, b) => a - b);
}

export interface DueRun {
  readonly report: string;
  /** T: the schedule time; the time range is resolved as of T. */
  readonly scheduledMs: number;
  /** T + 15 min: when the report is generated (its S3 key carries T, as Amazon Connect's do). */
  readonly generateAtMs: number;
  /** `<report name>@<T as YYYY-MM-DDThh:mm:ssZ>`; stable, for idempotent writes. */
  readonly runId: string;
  /** The report's time range as of T. */
  readonly range: ResolvedRange;
}

export interface DueRunsResult {
  /** Ascending by generation time, then report name. */
  readonly runs: readonly DueRun[];
  /** Set when the catch-up was cut short by `maxCatchUpMs`: runs to be generated in (fromMs, toMs] were skipped. */
  readonly skipped: { readonly fromMs: number; readonly toMs: number; readonly notice: string } | null;
}

export interface DueRunsWindow {
  /** Generation times up to and including this were handled by the previous check. */
  readonly lastCheckedMs: number;
  readonly nowMs: number;
  /** Catch up at most this far back; older missed runs are skipped with a notice. Default: no limit. */
  readonly maxCatchUpMs?: number;
}

/** `YYYY-MM-DDThh:mm:ssZ`. */
export function utcStamp(ms: number): string {
  return isoUtc(ms).replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The runs to generate now: every run whose generation time T + 15 min lies in
 * (lastCheckedMs, nowMs]. A run is never returned before T + 15 min; after
 * downtime all missed runs come back (bounded by `maxCatchUpMs`).
 */
export function dueRuns(defs: readonly ReportDefinition[], window: DueRunsWindow): DueRunsResult {
  const { nowMs, maxCatchUpMs } = window;
  let fromMs = window.lastCheckedMs;
  let skipped: DueRunsResult['skipped'] = null;
  if (maxCatchUpMs !== undefined && nowMs - fromMs > maxCatchUpMs) {
    const cut = nowMs - maxCatchUpMs;
    skipped = {
      fromMs,
      toMs: cut,
      notice:
        `Catch-up limited to ${Math.round(maxCatchUpMs / MINUTE_MS)} minutes: runs due between ${utcStamp(fromMs)} and ${utcStamp(cut)} ` +
        `(last check ${utcStamp(fromMs)}, now ${utcStamp(nowMs)}) were skipped and will not be generated.`,
    };
    fromMs = cut;
  }
  const runs: DueRun[] = [];
  for (const def of defs) {
    for (const t of scheduledTimes(def, fromMs - GENERATION_DELAY_MS, nowMs - GENERATION_DELAY_MS)) {
      runs.push({
        report: def.name,
        scheduledMs: t,
        generateAtMs: t + GENERATION_DELAY_MS,
        runId: `${def.name}@${utcStamp(t)}`,
        range: resolveTimeRange(def.timeRange, t, def.timeZone),
      });
    }
  }
  runs.sort((a, b) => a.generateAtMs - b.generateAtMs || (a.report < b.report ? -1 : a.report > b.report ? 1 : 0));
  return { runs, skipped };
}

/**
 * S3 key of a run's file, as Amazon Connect writes scheduled reports:
 * `<key prefix>/Reports/<report prefix>/<report name>-<YYYY-MM-DDThh:mm:ssZ>.csv`,
 * the key prefix being `connect/<instance alias>` by default and the timestamp
 * the run's scheduled time T in UTC (the CTI adapter guide's listing shows
 * `sfIntervalQueue-2018-11-22T12:00:00Z.csv` last modified at 12:15:27).
 * "The prefix is added to the path between /Reports and the report name"
 * (login-logout-reports.md); no prefix segment when the report has none, and
 * no empty segments.
 */
export function reportKey(keyPrefix: string, def: Pick<ReportDefinition, 'name' | 'prefix'>, scheduledMs: number): string {
  const segments = [...keyPrefix.split('/'), 'Reports', ...(def.prefix ?? '').split('/'), `${def.name}-${utcStamp(scheduledMs)}.csv`];
  return segments.filter((s) => s.length > 0).join('/');
}

/** The key pattern `reportKey` writes, for documentation and stack outputs. */
export function reportKeyPattern(keyPrefix: string): string {
  return `${keyPrefix.replace(/^\/+|\/+$/g, '')}/Reports/<report prefix>/<report name>-<YYYY-MM-DDThh:mm:ssZ>.csv`;
}
