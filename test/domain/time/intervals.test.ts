import { describe, expect, it } from 'vitest';
import { contact, snapshot, timeline } from '../../support/builders.js';
import { engineOf, rows, value } from '../../support/metrics.js';
import {
  InvalidTimeZoneError,
  IntervalMapper,
  bucketOf,
  formatInZone,
  intervalEnd,
  intervalStart,
  localMidnight,
  splitByBucket,
} from '../../../lambdas/domain/time/intervals.js';

const t = (iso: string) => Date.parse(iso);

/** Local intervals of a size covering a local day, as ISO strings with offsets. */
function intervalsOfDay(date: string, zone: string, size: 'FIFTEEN_MIN' | 'THIRTY_MIN' | 'HOUR'): string[] {
  const start = localMidnight(date, zone);
  const end = intervalEnd(start, 'DAY', zone);
  const out: string[] = [];
  for (let s = start; s < end; s = intervalEnd(s, size, zone)) out.push(formatInZone(s, zone));
  return out;
}

describe('splitByBucket', () => {
  it('splits a span at 15-minute UTC edges', () => {
    expect(splitByBucket(t('2026-03-10T05:23:00Z'), t('2026-03-10T05:50:30Z'))).toEqual([
      { bucket: bucketOf(t('2026-03-10T05:15:00Z')), ms: 7 * 60_000 },
      { bucket: bucketOf(t('2026-03-10T05:30:00Z')), ms: 15 * 60_000 },
      { bucket: bucketOf(t('2026-03-10T05:45:00Z')), ms: 5 * 60_000 + 30_000 },
    ]);
  });
  it('gives nothing for an empty or reversed span', () => {
    expect(splitByBucket(5, 5)).toEqual([]);
    expect(splitByBucket(6, 5)).toEqual([]);
  });
});

describe('America/New_York daylight saving', () => {
  const zone = 'America/New_York';
  it('spring-forward day 2026-03-08 has 23 hours: 46 half hours, 01:30 then 03:00', () => {
    const halves = intervalsOfDay('2026-03-08', zone, 'THIRTY_MIN');
    expect(halves).toHaveLength(46);
    expect(halves.slice(2, 6)).toEqual(['2026-03-08T01:00:00-05:00', '2026-03-08T01:30:00-05:00', '2026-03-08T03:00:00-04:00', '2026-03-08T03:30:00-04:00']);
  });
  it('fall-back day 2026-11-01 has 25 hours: 50 half hours, 01:00 and 01:30 twice', () => {
    const halves = intervalsOfDay('2026-11-01', zone, 'THIRTY_MIN');
    expect(halves).toHaveLength(50);
    expect(halves.slice(2, 6)).toEqual(['2026-11-01T01:00:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T01:30:00-05:00']);
  });
  it('a DAY interval spans 23 h and 25 h on those days', () => {
    const s1 = localMidnight('2026-03-08', zone);
    const s2 = localMidnight('2026-11-01', zone);
    expect((intervalEnd(s1, 'DAY', zone) - s1) / 3_600_000).toBe(23);
    expect((intervalEnd(s2, 'DAY', zone) - s2) / 3_600_000).toBe(25);
  });
  it('rolls agent time up into the two distinct 01:00 hours of the fall-back night', () => {
    // Logged in, idle, from 05:00Z (01:00 EDT) to 07:00Z (02:00 EST): two local hours both labelled 01:00.
    const evs = timeline('dana', [
      ['LOGIN', '2026-11-01T05:00:00.000Z', snapshot('Available')],
      ['LOGOUT', '2026-11-01T07:00:00.000Z', snapshot('Offline')],
    ]);
    const r = rows(engineOf([], evs), { start: '2026-11-01T04:00:00Z', end: '2026-11-02T05:00:00Z', interval: 'HOUR', zone, groupBy: ['agent'] });
    expect(r.map((x) => [formatInZone(x.intervalStartMs, zone), value(x, 'agent_idle_time')])).toEqual([
      ['2026-11-01T01:00:00-04:00', 3600],
      ['2026-11-01T01:00:00-05:00', 3600],
    ]);
  });
});

describe('offset zones', () => {
  it('Asia/Kathmandu (+05:45): half hours start at :15 and :45 UTC', () => {
    const zone = 'Asia/Kathmandu';
    const s = intervalStart(t('2026-03-10T00:05:00Z'), 'THIRTY_MIN', zone);
    expect(new Date(s).toISOString()).toBe('2026-03-09T23:45:00.000Z');
    expect(formatInZone(s, zone)).toBe('2026-03-10T05:30:00+05:45');
    expect(intervalsOfDay('2026-03-10', zone, 'THIRTY_MIN')).toHaveLength(48);
  });
  it('Asia/Kathmandu: a day starts at 18:15 UTC the evening before', () => {
    expect(new Date(localMidnight('2026-03-10', 'Asia/Kathmandu')).toISOString()).toBe('2026-03-09T18:15:00.000Z');
  });
  it('Asia/Kolkata (+05:30): hours start at :30 UTC', () => {
    const s = intervalStart(t('2026-03-10T10:10:00Z'), 'HOUR', 'Asia/Kolkata');
    expect(new Date(s).toISOString()).toBe('2026-03-10T09:30:00.000Z');
  });
  it('rolls 15-minute UTC buckets into Kathmandu half hours exactly', () => {
    const C = { id: 'K', queue: 'BasicQueue' };
    // On contact 00:00Z–00:30Z = 05:45–06:15 local: 15 min in 05:30–06:00, 15 min in 06:00–06:30.
    const evs = timeline('ek', [
      ['LOGIN', '2026-03-09T23:50:00.000Z', snapshot('Available')],
      ['STATE_CHANGE', '2026-03-10T00:00:00.000Z', snapshot('Available', [contact({ ...C, state: 'CONNECTED', since: '2026-03-10T00:00:00.000Z' })])],
      ['STATE_CHANGE', '2026-03-10T00:30:00.000Z', snapshot('Available')],
      ['LOGOUT', '2026-03-10T00:40:00.000Z', snapshot('Offline')],
    ]);
    const zone = 'Asia/Kathmandu';
    const r = rows(engineOf([], evs), { start: '2026-03-09T23:45:00Z', end: '2026-03-10T00:45:00Z', interval: 'THIRTY_MIN', zone, groupBy: ['agent'] });
    expect(r.map((x) => [formatInZone(x.intervalStartMs, zone), value(x, 'agent_on_contact_time')])).toEqual([
      ['2026-03-10T05:30:00+05:45', 900],
      ['2026-03-10T06:00:00+05:45', 900],
    ]);
  });
});

describe('weeks and days', () => {
  it('weeks start on Sunday in the report zone', () => {
    // Wednesday 2026-03-11 10:00 in Los Angeles → week of Sunday 2026-03-08.
    const s = intervalStart(t('2026-03-11T17:00:00Z'), 'WEEK', 'America/Los_Angeles');
    expect(formatInZone(s, 'America/Los_Angeles')).toBe('2026-03-08T00:00:00-08:00');
    // That week contains the spring-forward day: 7 × 24 − 1 hours.
    expect((intervalEnd(s, 'WEEK', 'America/Los_Angeles') - s) / 3_600_000).toBe(167);
  });
});

describe('IntervalMapper', () => {
  it('rejects an unknown zone with a clear error', () => {
    expect(() => new IntervalMapper('HOUR', 'Mars/Olympus_Mons')).toThrow(InvalidTimeZoneError);
    expect(() => new IntervalMapper('HOUR', 'Mars/Olympus_Mons')).toThrow('Unknown IANA time zone: "Mars/Olympus_Mons"');
  });
});

describe('zones whose clocks move by half an hour', () => {
  it('Australia/Lord_Howe: hours are floored on the offset in force at the instant', () => {
    // 2026-10-04 02:00 local the clock moves from +10:30 to +11:00; 07:10 local (+11:00) is in the 07:00 hour.
    const s = intervalStart(Date.parse('2026-10-03T20:10:00Z'), 'HOUR', 'Australia/Lord_Howe');
    expect(formatInZone(s, 'Australia/Lord_Howe')).toBe('2026-10-04T07:00:00+11:00');
  });
});

describe('zones that skip midnight', () => {
  it('America/Santiago 2026-09-06 starts at 01:00 -03:00, when the clock leaves 24:00', () => {
    const s = localMidnight('2026-09-06', 'America/Santiago');
    expect(formatInZone(s, 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
    expect(formatInZone(intervalStart(s + 60_000, 'DAY', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });
});
