import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReportDefinitions } from '../../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../../lambdas/domain/reports/definitions.js';
import { dueRuns, GENERATION_DELAY_MS, reportKey, scheduledTimes } from '../../../lambdas/domain/reports/schedule.js';
import { formatInZone } from '../../../lambdas/domain/time/intervals.js';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

function def(name: string, timeZone: string, schedule: Record<string, unknown>, timeRange: unknown = 'YESTERDAY'): ReportDefinition {
  const [d] = parseReportDefinitions({ reports: [{ name, type: 'HISTORICAL', metrics: ['Contacts handled'], timeRange, timeZone, schedule }] });
  if (!d) throw new Error('no definition');
  return d;
}

const local = (ms: readonly number[], zone: string) => ms.map((m) => formatInZone(m, zone));

const newYorkDaily = def('ny-daily', 'America/New_York', { frequency: 'DAILY', at: '00:00' });
const kolkataDaily = def('kolkata-daily', 'Asia/Kolkata', { frequency: 'DAILY', at: '00:00' });
const aucklandDaily = def('auckland-daily', 'Pacific/Auckland', { frequency: 'DAILY', at: '00:00' });

describe('dueRuns around local midnight', () => {
  it('returns each zone’s midnight run 15 minutes after it, in generation order', () => {
    // 2026-03-09T10:00Z → 2026-03-10T10:00Z holds one local midnight of each zone.
    const { runs } = dueRuns([newYorkDaily, kolkataDaily, aucklandDaily], { lastCheckedMs: t('2026-03-09T10:00:00Z'), nowMs: t('2026-03-10T10:00:00Z') });
    expect(runs.map((r) => [r.report, new Date(r.scheduledMs).toISOString(), new Date(r.generateAtMs).toISOString()])).toEqual([
      ['auckland-daily', '2026-03-09T11:00:00.000Z', '2026-03-09T11:15:00.000Z'],
      ['kolkata-daily', '2026-03-09T18:30:00.000Z', '2026-03-09T18:45:00.000Z'],
      ['ny-daily', '2026-03-10T04:00:00.000Z', '2026-03-10T04:15:00.000Z'],
    ]);
  });

  it('resolves each run’s time range as of its schedule time, in its zone', () => {
    const { runs } = dueRuns([kolkataDaily], { lastCheckedMs: t('2026-03-09T18:44:00Z'), nowMs: t('2026-03-09T18:45:00Z') });
    expect(runs[0]?.range).toEqual({ startMs: t('2026-03-08T18:30:00Z'), endMs: t('2026-03-09T18:30:00Z') });
    expect(runs[0]?.runId).toBe('kolkata-daily@2026-03-09T18:30:00Z');
  });

  it('does not return a run a millisecond before T + 15 min', () => {
    const T = t('2026-03-10T04:00:00Z');
    expect(dueRuns([newYorkDaily], { lastCheckedMs: T, nowMs: T + GENERATION_DELAY_MS - 1 }).runs).toEqual([]);
  });

  it('returns it at exactly T + 15 min', () => {
    const T = t('2026-03-10T04:00:00Z');
    const { runs } = dueRuns([newYorkDaily], { lastCheckedMs: T, nowMs: T + GENERATION_DELAY_MS });
    expect(runs.map((r) => r.runId)).toEqual(['ny-daily@2026-03-10T04:00:00Z']);
  });

  it('does not return it again to the next check', () => {
    const due = t('2026-03-10T04:15:00Z');
    expect(dueRuns([newYorkDaily], { lastCheckedMs: due, nowMs: due + 5 * MIN }).runs).toEqual([]);
  });
});

describe('dueRuns catch-up', () => {
  const every15 = def('every-15', 'America/New_York', { frequency: 'EVERY_15_MIN' }, 'TODAY');

  it('returns every EVERY_15_MIN run missed in 3 hours of downtime exactly once', () => {
    const { runs, skipped } = dueRuns([every15], { lastCheckedMs: t('2026-03-10T10:00:00Z'), nowMs: t('2026-03-10T13:00:00Z') });
    expect(skipped).toBeNull();
    expect(runs).toHaveLength(12);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(12);
    expect(runs[0]?.scheduledMs).toBe(t('2026-03-10T10:00:00Z'));
    expect(runs[11]?.scheduledMs).toBe(t('2026-03-10T12:45:00Z'));
    expect(runs.every((r, i) => r.scheduledMs === t('2026-03-10T10:00:00Z') + i * 15 * MIN)).toBe(true);
  });

  it('never generates a run before T + 15 min, and only runs due in the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.integer({ min: 0, max: 12 * 60 }), (startMin, lengthMin) => {
        const lastCheckedMs = t('2026-03-07T00:00:00Z') + startMin * MIN;
        const nowMs = lastCheckedMs + lengthMin * MIN;
        for (const r of dueRuns([every15, newYorkDaily, kolkataDaily], { lastCheckedMs, nowMs }).runs) {
          expect(r.generateAtMs).toBe(r.scheduledMs + GENERATION_DELAY_MS);
          expect(r.generateAtMs).toBeGreaterThan(lastCheckedMs);
          expect(r.generateAtMs).toBeLessThanOrEqual(nowMs);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same runs whether a window is checked in one call or split in two', () => {
    const defs = [every15, newYorkDaily, aucklandDaily, def('kolkata-hourly', 'Asia/Kolkata', { frequency: 'HOURLY', at: '00:30' }, 'LAST_24_HOURS')];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 * 24 * 60 }), fc.integer({ min: 0, max: 18 * 60 }), fc.integer({ min: 0, max: 18 * 60 }), (a, b, c) => {
        // Around the 2026-03-08 New York spring-forward.
        const lastCheckedMs = t('2026-03-06T00:00:00Z') + a * MIN;
        const splitMs = lastCheckedMs + b * MIN;
        const nowMs = splitMs + c * MIN;
        const ids = (from: number, to: number) => dueRuns(defs, { lastCheckedMs: from, nowMs: to }).runs.map((r) => r.runId);
        const split = [...ids(lastCheckedMs, splitMs), ...ids(splitMs, nowMs)];
        expect(split).toEqual(ids(lastCheckedMs, nowMs));
        expect(new Set(split).size).toBe(split.length);
      }),
      { numRuns: 30 },
    );
  });

  it('caps catch-up at maxCatchUpMs and says which runs were skipped', () => {
    const nowMs = t('2026-03-10T13:00:00Z');
    const { runs, skipped } = dueRuns([every15], { lastCheckedMs: nowMs - 3 * 24 * HOUR, nowMs, maxCatchUpMs: 6 * HOUR });
    expect(runs).toHaveLength(24);
    expect(runs[0]?.generateAtMs).toBe(nowMs - 6 * HOUR + 15 * MIN);
    expect(skipped).toEqual({
      fromMs: nowMs - 3 * 24 * HOUR,
      toMs: nowMs - 6 * HOUR,
      notice:
        'Catch-up limited to 360 minutes: runs due between 2026-03-07T13:00:00Z and 2026-03-10T07:00:00Z ' +
        '(last check 2026-03-07T13:00:00Z, now 2026-03-10T13:00:00Z) were skipped and will not be generated.',
    });
  });
});

describe('scheduledTimes', () => {
  it('runs WEEKLY on the chosen local days only', () => {
    const weekly = def('weekly', 'Asia/Kolkata', { frequency: 'WEEKLY', at: '08:00', daysOfWeek: ['THURSDAY', 'MONDAY'] });
    expect(local(scheduledTimes(weekly, t('2026-03-01T00:00:00Z'), t('2026-03-15T00:00:00Z')), 'Asia/Kolkata')).toEqual([
      '2026-03-02T08:00:00+05:30',
      '2026-03-05T08:00:00+05:30',
      '2026-03-09T08:00:00+05:30',
      '2026-03-12T08:00:00+05:30',
    ]);
  });

  it('shifts a DAILY time the clock skips forward by the gap (New York 02:30 → 03:30)', () => {
    const d = def('gap', 'America/New_York', { frequency: 'DAILY', at: '02:30' });
    expect(local(scheduledTimes(d, t('2026-03-07T00:00:00Z'), t('2026-03-10T00:00:00Z')), 'America/New_York')).toEqual([
      '2026-03-07T02:30:00-05:00',
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });

  it('shifts a DAILY time the clock skips in Auckland (2026-09-27 02:30 → 03:30 NZDT)', () => {
    const d = def('gap-nz', 'Pacific/Auckland', { frequency: 'DAILY', at: '02:30' });
    expect(local(scheduledTimes(d, t('2026-09-26T00:00:00Z'), t('2026-09-27T00:00:00Z')), 'Pacific/Auckland')).toEqual(['2026-09-27T03:30:00+13:00']);
  });

  it('runs a DAILY time the clock shows twice once, at the first occurrence', () => {
    const d = def('overlap', 'America/New_York', { frequency: 'DAILY', at: '01:30' });
    expect(local(scheduledTimes(d, t('2026-11-01T00:00:00Z'), t('2026-11-02T00:00:00Z')), 'America/New_York')).toEqual(['2026-11-01T01:30:00-04:00']);
  });

  it('runs HOURLY in both 01:00 hours of the fall-back night', () => {
    const d = def('hourly', 'America/New_York', { frequency: 'HOURLY' });
    expect(scheduledTimes(d, t('2026-11-01T04:00:00Z'), t('2026-11-01T08:00:00Z')).map((m) => new Date(m).toISOString())).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('has no HOURLY run in the skipped 02:00 hour of the spring-forward night', () => {
    const d = def('hourly', 'America/New_York', { frequency: 'HOURLY' });
    expect(local(scheduledTimes(d, t('2026-03-08T05:00:00Z'), t('2026-03-08T08:00:00Z')), 'America/New_York')).toEqual([
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T04:00:00-04:00',
    ]);
  });

  it('keeps EVERY_15_MIN runs 15 minutes apart through a 25-hour local day', () => {
    const d = def('q', 'America/New_York', { frequency: 'EVERY_15_MIN' });
    const times = scheduledTimes(d, t('2026-11-01T04:00:00Z') - 1, t('2026-11-02T05:00:00Z') - 1);
    expect(times).toHaveLength(100);
    expect(times.every((m, i) => i === 0 || m - (times[i - 1] ?? 0) === 15 * MIN)).toBe(true);
  });

  it('places HOURLY runs on the local hour of a half-hour zone (Asia/Kolkata)', () => {
    const d = def('h', 'Asia/Kolkata', { frequency: 'HOURLY', at: '00:00' });
    expect(scheduledTimes(d, t('2026-03-10T00:00:00Z'), t('2026-03-10T02:00:00Z')).map((m) => new Date(m).toISOString())).toEqual([
      '2026-03-10T00:30:00.000Z',
      '2026-03-10T01:30:00.000Z',
    ]);
  });

  it('uses `at` as the phase of an EVERY_30_MIN grid', () => {
    const d = def('h', 'UTC', { frequency: 'EVERY_30_MIN', at: '07:15' });
    expect(scheduledTimes(d, t('2026-03-10T00:00:00Z'), t('2026-03-10T01:00:00Z')).map((m) => new Date(m).toISOString())).toEqual([
      '2026-03-10T00:15:00.000Z',
      '2026-03-10T00:45:00.000Z',
    ]);
  });
});

describe('reportKey', () => {
  const generated = t('2026-03-10T04:15:00Z');

  it('names the file by the run’s scheduled time T, not its generation time T + 15 min (Connect’s naming)', () => {
    const { runs } = dueRuns([newYorkDaily], { lastCheckedMs: t('2026-03-10T04:00:00Z'), nowMs: t('2026-03-10T04:15:00Z') });
    const [run] = runs;
    expect(run && [new Date(run.generateAtMs).toISOString(), reportKey('connect/acme', { name: 'ny-daily', prefix: 'SFDC/Queue' }, run.scheduledMs)]).toEqual([
      '2026-03-10T04:15:00.000Z',
      'connect/acme/Reports/SFDC/Queue/ny-daily-2026-03-10T04:00:00Z.csv',
    ]);
  });

  it('puts the report prefix between /Reports and the file name', () => {
    expect(reportKey('connect/my-instance', { name: 'queues-daily', prefix: 'daily' }, generated)).toBe('connect/my-instance/Reports/daily/queues-daily-2026-03-10T04:15:00Z.csv');
  });

  it('omits the prefix segment when the report has none', () => {
    expect(reportKey('connect/my-instance', { name: 'queues-daily', prefix: null }, generated)).toBe('connect/my-instance/Reports/queues-daily-2026-03-10T04:15:00Z.csv');
  });

  it('never writes double slashes', () => {
    expect(reportKey('/connect/my-instance/', { name: 'r', prefix: 'ops/daily' }, generated)).toBe('connect/my-instance/Reports/ops/daily/r-2026-03-10T04:15:00Z.csv');
  });

  it('starts at Reports when the instance prefix is empty', () => {
    expect(reportKey('', { name: 'r', prefix: null }, generated)).toBe('Reports/r-2026-03-10T04:15:00Z.csv');
  });
});
