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
 * - DAILY / WEEKLY at `at`: once per local day. A time the clock skips on
 *   spring-forward day runs shifted forward by the gap (02:30 → 03:30); a time
 *   the clock shows twice on fall-back day runs once, at the first occurrence.
 * - EVERY_15_MIN / EVERY_30_MIN / HOURLY: whenever the local clock shows `at`
 *   plus a whole number of periods. These follow the clock, so a skipped hour
 *   has no run and a repeated hour has two: one run per real period elapsed.
 */
import { addDays, dayOfWeek, isoUtc, localDate } from '../time/intervals.js';
import { DAYS_OF_WEEK } from './definitions.js';
import type { ReportDefinition, Schedule } from './definitions.js';
import { instantsAtWallTime, resolveWallTime } from './local-time.js';
import { resolveTimeRange } from './time-range.js';
import type { ResolvedRange } from './time-range.js';

export const GENERATION_DELAY_MS = 15 * 60 * 1000;

const MINUTE_MS = 60 * 1000;
const PERIOD_MINUTES: Partial<Record<Schedule['frequency'], number>> = { EVERY_15_MIN: 15, EVERY_30_MIN: 30, HOURLY: 60 };

function minutesOf(at: string): number {
  return Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));
}

/** Every schedule time T of a report in (fromMs, toMs], ascending. */
export function scheduledTimes(def: Pick<ReportDefinition, 'schedule' | 'timeZone'>, fromMs: number, toMs: number): number[] {
  if (!(toMs > fromMs)) return [];
  const { frequency, at, daysOfWeek } = def.schedule;
  const zone = def.timeZone;
  const atMin = minutesOf(at);
  const period = PERIOD_MINUTES[frequency];
  const days = new Set(daysOfWeek.map((d) => DAYS_OF_WEEK.indexOf(d)));
  const found = new Set<number>();
  const keep = (t: number) => {
    if (t > fromMs && t <= toMs) found.add(t);
  };
  // One local day either side: a local day's times can fall outside its UTC day.
  const last = addDays(localDate(toMs, zone), 1);
  for (let date = addDays(localDate(fromMs, zone), -1); date <= last; date = addDays(date, 1)) {
    if (period !== undefined) {
      for (let m = atMin % period; m < 24 * 60; m += period) for (const t of instantsAtWallTime(date, m * MINUTE_MS, zone)) keep(t);
    } else if (frequency === 'DAILY' || days.has(dayOfWeek(date))) {
      keep(resolveWallTime(date, atMin * MINUTE_MS, zone));
    }
  }
  return [...found].sort((a, b) => a - b);
}

export interface DueRun {
  readonly report: string;
  /** T: the schedule time; the time range is resolved as of T. */
  readonly scheduledMs: number;
  /** T + 15 min: when the report is generated, and the timestamp in its S3 key. */
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
 * S3 key of a run's file: `<instance prefix>/Reports/<report prefix>/<report name>-<YYYY-MM-DDThh:mm:ssZ>.csv`,
 * the timestamp being the generation time in UTC. "The prefix is added to the
 * path between /Reports and the report name" (login-logout-reports.md); no
 * prefix segment when the report has none, and no empty segments.
 */
export function reportKey(instancePrefix: string, def: Pick<ReportDefinition, 'name' | 'prefix'>, generateAtMs: number): string {
  const segments = [...instancePrefix.split('/'), 'Reports', ...(def.prefix ?? '').split('/'), `${def.name}-${utcStamp(generateAtMs)}.csv`];
  return segments.filter((s) => s.length > 0).join('/');
}
