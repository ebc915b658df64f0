/**
 * Amazon Connect's recurrences and relative ranges (issue 11, points 2 and 7):
 * definitions with `everyHours`/`startingAt`, MONTHLY, `previousHours` and
 * `previousDays` — what is accepted, what is rejected (with the report and the
 * field), when runs happen, what each run covers, and that a series of runs
 * leaves no gap, also across DST changes.
 */
import { describe, expect, it } from 'vitest';
import { parseReportDefinitions, ReportDefinitionError } from '../../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../../lambdas/domain/reports/definitions.js';
import { scheduledTimes } from '../../../lambdas/domain/reports/schedule.js';
import { resolveTimeRange } from '../../../lambdas/domain/reports/time-range.js';
import type { ResolvedRange } from '../../../lambdas/domain/reports/time-range.js';
import { formatInZone, localMidnight } from '../../../lambdas/domain/time/intervals.js';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const NY = 'America/New_York';

/** The CTI adapter guide's queue report: "Hourly, every 0.5 hour(s), starting at 1AM, for the previous 0.5 hour(s)". */
const sfIntervalQueue = {
  name: 'sfIntervalQueue',
  type: 'HISTORICAL',
  prefix: 'SFDC/Queue',
  groupings: ['QUEUE'],
  metrics: ['Contacts queued', 'Contacts handled', 'Average handle time'],
  interval: 'THIRTY_MIN',
  timeZone: 'UTC',
  timeRange: { previousHours: 0.5 },
  schedule: { frequency: 'HOURLY', everyHours: 0.5, startingAt: '01:00' },
};

function parseOne(overrides: Record<string, unknown>, base: Record<string, unknown> = sfIntervalQueue): ReportDefinition {
  const [d] = parseReportDefinitions({ reports: [{ ...base, ...overrides }] });
  if (!d) throw new Error('no definition');
  return d;
}

function problemsOf(overrides: Record<string, unknown>, base: Record<string, unknown> = sfIntervalQueue): readonly string[] {
  try {
    parseReportDefinitions({ reports: [{ ...base, ...overrides }] });
  } catch (e) {
    if (e instanceof ReportDefinitionError) return e.problems;
    throw e;
  }
  throw new Error('expected the definition to be rejected');
}

const local = (ms: readonly number[], zone: string) => ms.map((m) => formatInZone(m, zone));
const span = (r: ResolvedRange, zone: string) => [formatInZone(r.startMs, zone), formatInZone(r.endMs, zone)];

describe('definitions: recurrences and relative ranges that are accepted', () => {
  it('reads the CTI guide’s schedule as a 30-minute clock grid phased at 01:00, over the previous 0.5 hour', () => {
    const d = parseOne({});
    expect([d.schedule, d.timeRange, d.prefix, d.durationFormat]).toEqual([
      { frequency: 'HOURLY', at: '01:00', periodMinutes: 30, daysOfWeek: [], dayOfMonth: null },
      { previousHours: 0.5 },
      'SFDC/Queue',
      'SECONDS',
    ]);
  });

  it.each([
    ['every 12 hours starting 06:00 over the previous 12 hours, hourly rows', { interval: 'HOUR', timeRange: { previousHours: 12 }, schedule: { frequency: 'HOURLY', everyHours: 12, startingAt: '06:00' } }],
    ['every 0.25 hour over the previous 0.25 hour, 15-minute rows', { interval: 'FIFTEEN_MIN', timeRange: { previousHours: 0.25 }, schedule: { frequency: 'HOURLY', everyHours: 0.25, startingAt: '00:15' } }],
    ['the previous 7 days in daily rows, every day at midnight', { interval: 'DAY', timeRange: { previousDays: 7 }, schedule: { frequency: 'DAILY', at: '00:00' } }],
    ['the previous 31 days in one row, monthly on the 1st', { interval: 'TOTAL', timeRange: { previousDays: 31 }, schedule: { frequency: 'MONTHLY', dayOfMonth: 1, at: '06:45' } }],
    ['the previous month on the last day of each month', { interval: 'DAY', timeRange: 'PREVIOUS_MONTH', schedule: { frequency: 'MONTHLY', dayOfMonth: 'LAST', at: '23:00' } }],
    ['a prefix of S3-safe characters in several segments', { prefix: "SFDC/Queue/a!b/(c)/d*e'f_g.h-i" }],
    ['interval columns first', { intervalColumn: 'FIRST' }],
    ['a plain HOURLY (no everyHours) as before', { interval: 'HOUR', timeRange: 'TODAY', schedule: { frequency: 'HOURLY', at: '00:00' } }],
  ])('%s', (_what, overrides) => {
    expect(() => parseOne(overrides)).not.toThrow();
  });

  it('keeps MONTHLY’s day of the month, LAST included', () => {
    expect(parseOne({ timeRange: 'PREVIOUS_MONTH', interval: 'DAY', schedule: { frequency: 'MONTHLY', dayOfMonth: 'LAST', at: '00:00' } }).schedule).toEqual({
      frequency: 'MONTHLY',
      at: '00:00',
      periodMinutes: null,
      daysOfWeek: [],
      dayOfMonth: 'LAST',
    });
  });
});

describe('definitions: every invalid combination is rejected with the report and the field', () => {
  const at = 'reports[0] "sfIntervalQueue"';
  const hourly = (extra: Record<string, unknown>) => ({ schedule: { frequency: 'HOURLY', everyHours: 0.5, startingAt: '01:00', ...extra } });
  it.each<[string, Record<string, unknown>, string]>([
    ['previousHours not a multiple of 0.25', { timeRange: { previousHours: 0.3 } }, `${at}.timeRange.previousHours: must be a number of hours above 0, a multiple of 0.25 (metrics are kept per 15 minutes), at most 8784 (got 0.3)`],
    ['previousHours 0', { timeRange: { previousHours: 0 } }, `${at}.timeRange.previousHours: must be a number of hours above 0, a multiple of 0.25 (metrics are kept per 15 minutes), at most 8784 (got 0)`],
    ['previousHours as text', { timeRange: { previousHours: '0.5' } }, `${at}.timeRange.previousHours: must be a number of hours above 0, a multiple of 0.25 (metrics are kept per 15 minutes), at most 8784 (got "0.5")`],
    ['previousDays not whole', { interval: 'TOTAL', timeRange: { previousDays: 1.5 } }, `${at}.timeRange.previousDays: must be a whole number of days from 1 to 366 (got 1.5)`],
    ['previousDays 0', { interval: 'TOTAL', timeRange: { previousDays: 0 } }, `${at}.timeRange.previousDays: must be a whole number of days from 1 to 366 (got 0)`],
    ['both previousHours and previousDays', { timeRange: { previousHours: 1, previousDays: 1 } }, `${at}.timeRange: give either "previousHours" or "previousDays", not both and nothing else (got {"previousHours":1,"previousDays":1})`],
    ['everyHours 5', hourly({ everyHours: 5 }), `${at}.schedule.everyHours: must be one of 0.25, 0.5, 1, 2, 3, 4, 6, 8, 12 (each divides a day, so runs repeat at the same clock times every day; got 5)`],
    ['startingAt 25:00', hourly({ startingAt: '25:00' }), `${at}.schedule.startingAt: must be a 24-hour local time "HH:MM" (got "25:00")`],
    ['startingAt off the quarter hour', hourly({ startingAt: '01:10' }), `${at}.schedule.startingAt: must be on a 15-minute boundary (:00, :15, :30 or :45): metrics are kept per 15 minutes (got "01:10")`],
    ['everyHours without startingAt', { schedule: { frequency: 'HOURLY', everyHours: 0.5 } }, `${at}.schedule.startingAt: is required with everyHours, e.g. "01:00"`],
    ['everyHours with at', hourly({ at: '01:00' }), `${at}.schedule.at: not with everyHours: give the first run of the day as "startingAt"`],
    ['startingAt without everyHours', { schedule: { frequency: 'HOURLY', startingAt: '01:00' } }, `${at}.schedule.startingAt: only with everyHours (a plain HOURLY schedule uses "at")`],
    ['everyHours on a DAILY schedule', { schedule: { frequency: 'DAILY', at: '01:00', everyHours: 2 } }, `${at}.schedule.everyHours: only for HOURLY schedules (frequency is DAILY)`],
    ['dayOfMonth 31', { interval: 'TOTAL', schedule: { frequency: 'MONTHLY', dayOfMonth: 31, at: '00:00' } }, `${at}.schedule.dayOfMonth: must be a day from 1 to 28 (every month has it) or "LAST" for the month's last day (got 31)`],
    ['dayOfMonth 0', { interval: 'TOTAL', schedule: { frequency: 'MONTHLY', dayOfMonth: 0, at: '00:00' } }, `${at}.schedule.dayOfMonth: must be a day from 1 to 28 (every month has it) or "LAST" for the month's last day (got 0)`],
    ['MONTHLY without dayOfMonth', { interval: 'TOTAL', schedule: { frequency: 'MONTHLY', at: '00:00' } }, `${at}.schedule.dayOfMonth: is required for MONTHLY schedules: 1–28 or "LAST"`],
    ['dayOfMonth on a WEEKLY schedule', { interval: 'TOTAL', schedule: { frequency: 'WEEKLY', daysOfWeek: ['MONDAY'], dayOfMonth: 1, at: '00:00' } }, `${at}.schedule.dayOfMonth: only for MONTHLY schedules (frequency is WEEKLY)`],
    ['an interval coarser than the range', { interval: 'HOUR' }, `${at}.interval: HOUR is longer than the time range (timeRange.previousHours): each run would cover part of one interval`],
    ['a range that is not whole intervals', { timeRange: { previousHours: 0.75 } }, `${at}.timeRange.previousHours: must be a whole number of THIRTY_MIN intervals (30 minutes each), so every row is a whole interval`],
    ['runs off the interval grid (startingAt)', hourly({ startingAt: '01:15' }), `${at}.schedule.startingAt: "01:15" is not on the THIRTY_MIN grid of the local clock: with a relative range, runs must fall on interval boundaries`],
    ['runs off the interval grid (everyHours)', hourly({ everyHours: 0.25 }), `${at}.schedule.everyHours: runs every 0.25 hour(s) do not all fall on THIRTY_MIN boundaries: with a relative range, runs must fall on interval boundaries`],
    ['runs off the interval grid (at)', { timeRange: { previousHours: 1 }, interval: 'HOUR', schedule: { frequency: 'DAILY', at: '08:30' } }, `${at}.schedule.at: "08:30" is not on the HOUR grid of the local clock: with a relative range, runs must fall on interval boundaries`],
    ['WEEK rows of a relative range', { interval: 'WEEK', timeRange: { previousDays: 14 }, schedule: { frequency: 'DAILY', at: '00:00' } }, `${at}.interval: WEEK does not go with a relative time range (timeRange.previousDays): use LAST_WEEK, or a DAY interval`],
    ['DAY rows of previousHours', { interval: 'DAY', timeRange: { previousHours: 24 }, schedule: { frequency: 'DAILY', at: '00:00' } }, `${at}.interval: DAY goes with "previousDays" (local days are 23 or 25 hours on DST days), not "previousHours"`],
    ['DAY rows from a run at 08:00', { interval: 'DAY', timeRange: { previousDays: 1 }, schedule: { frequency: 'DAILY', at: '08:00' } }, `${at}.schedule.at: "08:00" is not on the DAY grid of the local clock: with a relative range, runs must fall on interval boundaries`],
    ['an unknown intervalColumn', { intervalColumn: 'MIDDLE' }, `${at}.intervalColumn: must be one of AFTER_GROUPINGS, FIRST (got "MIDDLE")`],
    ['interval columns first in a TOTAL report', { interval: 'TOTAL', intervalColumn: 'FIRST' }, `${at}.intervalColumn: a TOTAL report has no interval columns to place first`],
    ['a prefix segment ".."', { prefix: 'SFDC/../x' }, `${at}.prefix: "SFDC/../x" segment ".." is not allowed (it means a directory to tools that copy keys to paths)`],
    ['a prefix with a space', { prefix: 'SFDC/Que ue' }, `${at}.prefix: "SFDC/Que ue" segment "Que ue" has " ": use only S3's safe characters, letters, digits and ! - _ . * ' ( )`],
    ['a prefix with a trailing slash', { prefix: 'SFDC/' }, `${at}.prefix: "SFDC/" has a trailing "/": write segments separated by single "/", e.g. "SFDC/Queue"`],
    ['a prefix with an empty segment', { prefix: 'SFDC//Queue' }, `${at}.prefix: "SFDC//Queue" has an empty segment ("//"): write segments separated by single "/", e.g. "SFDC/Queue"`],
  ])('%s', (_what, overrides, problem) => {
    expect(problemsOf(overrides)).toEqual([problem]);
  });

  it('rejects a relative range on a LOGIN_LOGOUT report (it runs at 12 AM over fixed ranges)', () => {
    expect(problemsOf({}, { name: 'logins', type: 'LOGIN_LOGOUT', timeRange: { previousDays: 1 } })).toEqual([
      'reports[0] "logins".timeRange: a LOGIN_LOGOUT report covers YESTERDAY, LAST_24_HOURS, LAST_2_DAYS, LAST_3_DAYS or a custom range of up to 7 days (it runs at 12 AM)',
    ]);
  });
});

describe('scheduledTimes: every N hours starting at, and MONTHLY', () => {
  const grid = (zone: string, everyHours: number, startingAt: string, range: Record<string, unknown>, interval = 'TOTAL') =>
    parseOne({ timeZone: zone, interval, timeRange: range, schedule: { frequency: 'HOURLY', everyHours, startingAt } });

  it('runs the CTI guide’s schedule every 30 minutes on the clock, straight across midnight', () => {
    const d = parseOne({});
    expect(local(scheduledTimes(d, t('2026-11-22T23:00:00Z'), t('2026-11-23T01:30:00Z')), 'UTC')).toEqual([
      '2026-11-22T23:30:00Z',
      '2026-11-23T00:00:00Z',
      '2026-11-23T00:30:00Z',
      '2026-11-23T01:00:00Z',
      '2026-11-23T01:30:00Z',
    ]);
  });

  it('every 8 hours starting at 01:00 is 01:00, 09:00 and 17:00 every day; starting at 17:00 is the same grid', () => {
    const from = t('2026-06-10T00:00:00-04:00');
    const to = t('2026-06-12T00:00:00-04:00');
    const a = scheduledTimes(grid(NY, 8, '01:00', { previousHours: 8 }), from, to);
    expect(local(a, NY)).toEqual([
      '2026-06-10T01:00:00-04:00',
      '2026-06-10T09:00:00-04:00',
      '2026-06-10T17:00:00-04:00',
      '2026-06-11T01:00:00-04:00',
      '2026-06-11T09:00:00-04:00',
      '2026-06-11T17:00:00-04:00',
    ]);
    expect(scheduledTimes(grid(NY, 8, '17:00', { previousHours: 8 }), from, to)).toEqual(a);
  });

  it('every 2 hours on the spring-forward day: the skipped 02:00 runs at the end of the gap (03:00 EDT)', () => {
    const times = scheduledTimes(grid(NY, 2, '00:00', { previousHours: 2 }), t('2026-03-07T23:00:00-05:00'), t('2026-03-08T07:00:00-04:00'));
    expect(local(times, NY)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00', '2026-03-08T06:00:00-04:00']);
  });

  it('every 2 hours from 01:00 on the fall-back day: 01:00 runs at both of its showings', () => {
    const times = scheduledTimes(grid(NY, 2, '01:00', { previousHours: 2 }), t('2026-10-31T23:30:00-04:00'), t('2026-11-01T05:00:00-05:00'));
    expect(local(times, NY)).toEqual(['2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T03:00:00-05:00', '2026-11-01T05:00:00-05:00']);
  });

  it('MONTHLY on the LAST day runs on each month’s last day (28 February included)', () => {
    const d = parseOne({ timeZone: NY, interval: 'DAY', timeRange: 'MONTH_TO_DATE', schedule: { frequency: 'MONTHLY', dayOfMonth: 'LAST', at: '00:00' } });
    expect(local(scheduledTimes(d, t('2026-01-01T00:00:00Z'), t('2026-05-01T00:00:00Z')), NY)).toEqual([
      '2026-01-31T00:00:00-05:00',
      '2026-02-28T00:00:00-05:00',
      '2026-03-31T00:00:00-04:00',
      '2026-04-30T00:00:00-04:00',
    ]);
  });

  it('MONTHLY on day 15 at 08:30 runs once a month at that local time', () => {
    const d = parseOne({ timeZone: NY, interval: 'TOTAL', timeRange: 'MONTH_TO_DATE', schedule: { frequency: 'MONTHLY', dayOfMonth: 15, at: '08:30' } });
    expect(local(scheduledTimes(d, t('2026-02-01T00:00:00Z'), t('2026-04-01T00:00:00Z')), NY)).toEqual(['2026-02-15T08:30:00-05:00', '2026-03-15T08:30:00-04:00']);
  });
});

describe('resolveTimeRange: previousHours and previousDays', () => {
  it('covers the 30 minutes before the scheduled time: the guide’s 12:00 file covers 11:30–12:00', () => {
    expect(span(resolveTimeRange({ previousHours: 0.5 }, t('2018-11-22T12:00:00Z'), 'UTC'), 'UTC')).toEqual(['2018-11-22T11:30:00Z', '2018-11-22T12:00:00Z']);
  });

  it.each<[string, Record<string, number>, string, [string, string]]>([
    ['N real hours on an ordinary day', { previousHours: 2 }, '2026-06-10T10:00:00-04:00', ['2026-06-10T08:00:00-04:00', '2026-06-10T10:00:00-04:00']],
    ['N real hours across the spring-forward gap', { previousHours: 2 }, '2026-03-08T04:00:00-04:00', ['2026-03-08T01:00:00-05:00', '2026-03-08T04:00:00-04:00']],
    ['also N hours back on the clock after the fall-back (3 real hours)', { previousHours: 2 }, '2026-11-01T02:00:00-05:00', ['2026-11-01T00:00:00-04:00', '2026-11-01T02:00:00-05:00']],
    ['the second 01:30 reaches back to the second 01:00, not the first', { previousHours: 0.5 }, '2026-11-01T01:30:00-05:00', ['2026-11-01T01:00:00-05:00', '2026-11-01T01:30:00-05:00']],
    ['the same clock time one local day before (23 hours on the spring-forward day)', { previousDays: 1 }, '2026-03-09T00:00:00-04:00', ['2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00']],
    ['the same clock time one local day before (25 hours on the fall-back day)', { previousDays: 1 }, '2026-11-02T00:00:00-05:00', ['2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00']],
    ['a run moved to the end of the gap reaches back to its nominal clock time', { previousDays: 1 }, '2026-03-08T03:30:00-04:00', ['2026-03-07T02:30:00-05:00', '2026-03-08T03:30:00-04:00']],
    ['seven local days', { previousDays: 7 }, '2026-03-10T00:00:00-04:00', ['2026-03-03T00:00:00-05:00', '2026-03-10T00:00:00-04:00']],
  ])('%s', (_what, range, asOf, expected) => {
    expect(span(resolveTimeRange(range as { previousHours: number }, t(asOf), NY), NY)).toEqual(expected);
  });
});

// ---------------------------------------------------------------- no gaps in a series (point 7)

/** The runs of a definition with T in (fromMs, toMs] and the range each covers. */
function series(def: ReportDefinition, fromMs: number, toMs: number): Array<{ T: number } & ResolvedRange> {
  return scheduledTimes(def, fromMs, toMs).map((T) => ({ T, ...resolveTimeRange(def.timeRange, T, def.timeZone) }));
}

/** The parts of [fromMs, toMs) no range covers. */
function holes(ranges: readonly ResolvedRange[], fromMs: number, toMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let covered = fromMs;
  for (const r of [...ranges].sort((a, b) => a.startMs - b.startMs)) {
    if (r.startMs > covered) out.push([covered, Math.min(r.startMs, toMs)]);
    covered = Math.max(covered, r.endMs);
    if (covered >= toMs) break;
  }
  if (covered < toMs) out.push([covered, toMs]);
  return out.filter(([a, b]) => b > a);
}

describe('a series of scheduled runs covers every instant of its ranges', () => {
  const today15 = parseOne({ name: 'today-15', timeZone: NY, interval: 'FIFTEEN_MIN', timeRange: 'TODAY', schedule: { frequency: 'EVERY_15_MIN', at: '00:00' } });

  it.each([
    ['an ordinary day', '2026-03-10'],
    ['the 23-hour spring-forward day', '2026-03-08'],
    ['the 25-hour fall-back day', '2026-11-01'],
  ])('a day of 15-minute TODAY runs covers its 00:00–24:00 in New York: %s', (_what, date) => {
    const start = localMidnight(date, NY);
    const end = localMidnight(new Date(t(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10), NY);
    // Runs scheduled in (00:00, 24:00]: the one at 24:00 (the next midnight) covers the whole day, 23:45–24:00 included.
    const runs = series(today15, start, end);
    expect(runs.map((r) => r.T)).toHaveLength((end - start) / (15 * MIN));
    expect(holes(runs, start, end)).toEqual([]);
    const midnightRun = runs[runs.length - 1];
    expect(midnightRun && span(midnightRun, NY)).toEqual([formatInZone(start, NY), formatInZone(end, NY)]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['TODAY every 15 minutes', { interval: 'FIFTEEN_MIN', timeRange: 'TODAY', schedule: { frequency: 'EVERY_15_MIN', at: '00:00' } }],
    ['TODAY hourly', { interval: 'HOUR', timeRange: 'TODAY', schedule: { frequency: 'HOURLY', at: '00:00' } }],
    ['previous 0.5 hour every 0.5 hour', { timeRange: { previousHours: 0.5 }, schedule: { frequency: 'HOURLY', everyHours: 0.5, startingAt: '01:00' } }],
    ['previous 1 hour every hour', { interval: 'HOUR', timeRange: { previousHours: 1 }, schedule: { frequency: 'HOURLY', everyHours: 1, startingAt: '00:00' } }],
    ['previous 2 hours every 2 hours from 00:00', { interval: 'HOUR', timeRange: { previousHours: 2 }, schedule: { frequency: 'HOURLY', everyHours: 2, startingAt: '00:00' } }],
    ['previous 2 hours every 2 hours from 01:00', { interval: 'HOUR', timeRange: { previousHours: 2 }, schedule: { frequency: 'HOURLY', everyHours: 2, startingAt: '01:00' } }],
    ['previous 12 hours every 12 hours', { interval: 'HOUR', timeRange: { previousHours: 12 }, schedule: { frequency: 'HOURLY', everyHours: 12, startingAt: '06:00' } }],
    ['previous day daily at 00:00', { interval: 'DAY', timeRange: { previousDays: 1 }, schedule: { frequency: 'DAILY', at: '00:00' } }],
    ['previous day daily at 02:30 (skipped on the spring-forward day)', { interval: 'TOTAL', timeRange: { previousDays: 1 }, schedule: { frequency: 'DAILY', at: '02:30' } }],
    ['previous day daily at 01:30 (shown twice on the fall-back day)', { interval: 'TOTAL', timeRange: { previousDays: 1 }, schedule: { frequency: 'DAILY', at: '01:30' } }],
    ['YESTERDAY daily at 00:00', { interval: 'DAY', timeRange: 'YESTERDAY', schedule: { frequency: 'DAILY', at: '00:00' } }],
    ['MONTH_TO_DATE daily at 08:00', { interval: 'DAY', timeRange: 'MONTH_TO_DATE', schedule: { frequency: 'DAILY', at: '08:00' } }],
  ])('%s, over both DST changes of 2026 in New York', (name, overrides) => {
    const def = parseOne({ name: 'series', timeZone: NY, interval: 'THIRTY_MIN', ...overrides });
    for (const [from, to] of [
      ['2026-02-27T00:00:00-05:00', '2026-03-11T00:00:00-04:00'],
      ['2026-10-30T00:00:00-04:00', '2026-11-03T00:00:00-05:00'],
    ] as const) {
      const runs = series(def, t(from), t(to));
      // Everything from the start of the first run's range to the end of the last run's range is covered.
      const first = Math.min(...runs.map((r) => r.startMs));
      const last = Math.max(...runs.map((r) => r.endMs));
      expect(holes(runs, first, last).map(([a, b]) => `${name}: ${formatInZone(a, NY)} → ${formatInZone(b, NY)}`)).toEqual([]);
    }
  });
});
