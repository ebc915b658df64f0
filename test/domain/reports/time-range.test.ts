import { describe, expect, it } from 'vitest';
import { dayOfWeek, formatInZone, localDate } from '../../../lambdas/domain/time/intervals.js';
import { InvalidTimeRangeError, parseRangeInstant, resolveTimeRange } from '../../../lambdas/domain/reports/time-range.js';
import type { TimeRange } from '../../../lambdas/domain/reports/time-range.js';

const t = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const NY = 'America/New_York';

/** A resolved range as local ISO strings, for readable assertions. */
function local(range: TimeRange, asOf: string, zone: string): [string, string] {
  const r = resolveTimeRange(range, t(asOf), zone);
  return [formatInZone(r.startMs, zone), formatInZone(r.endMs, zone)];
}

describe('resolveTimeRange YESTERDAY', () => {
  it('is the 23-hour spring-forward day when run at midnight after 2026-03-08 in New York', () => {
    const r = resolveTimeRange('YESTERDAY', t('2026-03-09T00:00:00-04:00'), NY);
    expect(local('YESTERDAY', '2026-03-09T00:00:00-04:00', NY)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00']);
    expect((r.endMs - r.startMs) / HOUR).toBe(23);
  });

  it('is the 25-hour fall-back day when run at midnight after 2026-11-01 in New York', () => {
    const r = resolveTimeRange('YESTERDAY', t('2026-11-02T00:00:00-05:00'), NY);
    expect(local('YESTERDAY', '2026-11-02T00:00:00-05:00', NY)).toEqual(['2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00']);
    expect((r.endMs - r.startMs) / HOUR).toBe(25);
  });

  it('is the calendar day of the zone, not of UTC (Asia/Kathmandu, +05:45)', () => {
    const r = resolveTimeRange('YESTERDAY', t('2026-03-10T06:00:00+05:45'), 'Asia/Kathmandu');
    expect(r).toEqual({ startMs: t('2026-03-08T18:15:00Z'), endMs: t('2026-03-09T18:15:00Z') });
  });
});

describe('resolveTimeRange TODAY and LAST_24_HOURS', () => {
  it('TODAY runs from local midnight to exactly asOf', () => {
    expect(local('TODAY', '2026-03-10T14:30:00-04:00', NY)).toEqual(['2026-03-10T00:00:00-04:00', '2026-03-10T14:30:00-04:00']);
  });

  it('LAST_24_HOURS is 24 elapsed hours even across the spring-forward night', () => {
    expect(local('LAST_24_HOURS', '2026-03-08T12:00:00-04:00', NY)).toEqual(['2026-03-07T11:00:00-05:00', '2026-03-08T12:00:00-04:00']);
  });
});

describe('resolveTimeRange last N days', () => {
  it('LAST_7_DAYS is the 7 local days before today, today excluded', () => {
    expect(local('LAST_7_DAYS', '2026-03-10T09:00:00-04:00', NY)).toEqual(['2026-03-03T00:00:00-05:00', '2026-03-10T00:00:00-04:00']);
  });

  it('LAST_2_DAYS and LAST_3_DAYS end at today’s midnight', () => {
    expect(local('LAST_2_DAYS', '2026-03-10T09:00:00-04:00', NY)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-10T00:00:00-04:00']);
    expect(local('LAST_3_DAYS', '2026-03-10T09:00:00-04:00', NY)).toEqual(['2026-03-07T00:00:00-05:00', '2026-03-10T00:00:00-04:00']);
  });

  it('LAST_30_DAYS crosses a month end', () => {
    expect(local('LAST_30_DAYS', '2026-03-10T09:00:00-04:00', NY)).toEqual(['2026-02-08T00:00:00-05:00', '2026-03-10T00:00:00-04:00']);
  });
});

describe('resolveTimeRange LAST_WEEK', () => {
  it('is the previous Sunday 00:00 to Sunday 00:00', () => {
    const r = resolveTimeRange('LAST_WEEK', t('2026-03-11T10:00:00-04:00'), NY);
    expect([formatInZone(r.startMs, NY), formatInZone(r.endMs, NY)]).toEqual(['2026-03-01T00:00:00-05:00', '2026-03-08T00:00:00-05:00']);
    expect(dayOfWeek(localDate(r.startMs, NY))).toBe(0);
    expect(dayOfWeek(localDate(r.endMs - 1, NY))).toBe(6);
  });

  it('run at Sunday midnight, is the week that just ended', () => {
    expect(local('LAST_WEEK', '2026-03-15T00:00:00-04:00', NY)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-15T00:00:00-04:00']);
  });

  it('run on a Saturday, is the week before the current one', () => {
    expect(local('LAST_WEEK', '2026-03-14T23:45:00-04:00', NY)).toEqual(['2026-03-01T00:00:00-05:00', '2026-03-08T00:00:00-05:00']);
  });
});

describe('resolveTimeRange months', () => {
  it('PREVIOUS_MONTH from 2027-01-10 is December 2026 in the zone', () => {
    expect(local('PREVIOUS_MONTH', '2027-01-10T08:00:00-05:00', NY)).toEqual(['2026-12-01T00:00:00-05:00', '2027-01-01T00:00:00-05:00']);
  });

  it('MONTH_TO_DATE runs from the 1st to today’s midnight, today excluded', () => {
    expect(local('MONTH_TO_DATE', '2026-03-15T14:00:00-04:00', NY)).toEqual(['2026-03-01T00:00:00-05:00', '2026-03-15T00:00:00-04:00']);
  });

  it('MONTH_TO_DATE on the 1st covers the month that just ended (its last day included), not an empty range', () => {
    expect(local('MONTH_TO_DATE', '2026-04-01T00:00:00-04:00', NY)).toEqual(['2026-03-01T00:00:00-05:00', '2026-04-01T00:00:00-04:00']);
    expect(local('MONTH_TO_DATE', '2026-04-01T08:00:00-04:00', NY)).toEqual(['2026-03-01T00:00:00-05:00', '2026-04-01T00:00:00-04:00']);
  });

  it('MONTH_TO_DATE uses the month of the zone: 2026-03-31T20:00 in New York is still March', () => {
    // 2026-04-01T00:00Z, already April in UTC.
    expect(local('MONTH_TO_DATE', '2026-03-31T20:00:00-04:00', NY)).toEqual(['2026-03-01T00:00:00-05:00', '2026-03-31T00:00:00-04:00']);
  });
});

describe('resolveTimeRange custom', () => {
  it('reads ends with an offset as instants', () => {
    expect(resolveTimeRange({ start: '2026-03-01T08:00:00-05:00', end: '2026-03-01T17:00:00Z' }, 0, NY)).toEqual({
      startMs: t('2026-03-01T13:00:00Z'),
      endMs: t('2026-03-01T17:00:00Z'),
    });
  });

  it('reads local dates and times in the report zone', () => {
    expect(resolveTimeRange({ start: '2026-03-01', end: '2026-03-02T06:30' }, 0, 'Asia/Kolkata')).toEqual({
      startMs: t('2026-02-28T18:30:00Z'),
      endMs: t('2026-03-02T01:00:00Z'),
    });
  });

  it('throws InvalidTimeRangeError for an end before the start', () => {
    expect(() => resolveTimeRange({ start: '2026-03-02', end: '2026-03-01' }, 0, 'UTC')).toThrow(InvalidTimeRangeError);
  });
});

describe('parseRangeInstant', () => {
  it('shifts a local time the clock skips forward by the gap', () => {
    expect(parseRangeInstant('2026-03-08T02:30', NY)).toBe(t('2026-03-08T03:30:00-04:00'));
  });

  it('takes the first occurrence of a local time the clock shows twice', () => {
    expect(parseRangeInstant('2026-11-01T01:30', NY)).toBe(t('2026-11-01T01:30:00-04:00'));
  });

  it('rejects impossible dates and non-ISO text', () => {
    expect(parseRangeInstant('2026-02-29', 'UTC')).toBeNull();
    expect(parseRangeInstant('2026-03-01T24:00', 'UTC')).toBeNull();
    expect(parseRangeInstant('03/01/2026', 'UTC')).toBeNull();
  });
});
