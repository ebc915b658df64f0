/**
 * Contact-record-driven metrics across 15-minute, day and DST boundaries.
 * DOCS.historicalMetrics, "Contact record-driven metrics": "For a given interval, contact records whose disconnect date falls in
 * the interval are selected to calculate metrics. For example, if a contact starts at 05:23 and ends at 06:15, this contact
 * contributes 52 minutes of metrics for the 06:00-06:30 interval."
 *
 * America/New_York springs forward on 2026-03-08 at 02:00 EST (07:00Z) to 03:00 EDT: that day has 23 hours.
 * Sales: bd-1 enqueued 01:50 EST, answered, disconnected 03:05 EDT; bd-2 abandoned at 01:59:59 EST; bd-3 abandoned at exactly
 * 00:00:00 EDT on 2026-03-09. Asia/Kolkata is UTC+05:30. Support: bd-4 abandoned at 23:59:59 IST on 2026-03-10; bd-5 at exactly
 * 00:00:00 IST on 2026-03-11; bd-6 answered, disconnected at 14:44:59 IST; bd-7 abandoned at exactly 14:45:00 IST.
 */
import { describe, expect, it } from 'vitest';
import { DOCS, runScenario } from './support.js';

const METRICS = ['Contacts queued', 'Contacts handled', 'Contacts abandoned'];
const cells = (rows: Array<Record<string, string>>) =>
  rows.map((r) => [r.Queue, r.StartInterval, r.EndInterval, r['Contacts queued'], r['Contacts handled'], r['Contacts abandoned']]);

describe('conformance: interval boundaries (' + DOCS.historicalMetrics + ')', () => {
  it('America/New_York, 15 minutes across the spring-forward gap and midnight', () => {
    const rows = runScenario('ctr-interval-boundaries', {
      groupings: ['QUEUE'],
      filters: { QUEUE: ['Sales'] },
      metrics: METRICS,
      interval: 'FIFTEEN_MIN',
      timeRange: { start: '2026-03-08T00:00:00', end: '2026-03-10T00:00:00' },
      timeZone: 'America/New_York',
    });
    expect(cells(rows)).toEqual([
      // 01:45 EST is followed by 03:00 EDT: the interval 01:45–02:00 EST ends at 03:00 EDT (the same instant, 07:00Z).
      ['Sales', '2026-03-08T01:45:00-05:00', '2026-03-08T03:00:00-04:00', '1', '0', '1'],
      // bd-1 started before the gap and ended at 03:05 EDT: counted whole in its disconnect interval.
      ['Sales', '2026-03-08T03:00:00-04:00', '2026-03-08T03:15:00-04:00', '1', '1', '0'],
      // A disconnect at exactly midnight belongs to the interval that starts then.
      ['Sales', '2026-03-09T00:00:00-04:00', '2026-03-09T00:15:00-04:00', '1', '0', '1'],
    ]);
  });

  it('America/New_York, days: the 23-hour day', () => {
    const rows = runScenario('ctr-interval-boundaries', {
      groupings: ['QUEUE'],
      filters: { QUEUE: ['Sales'] },
      metrics: METRICS,
      interval: 'DAY',
      timeRange: { start: '2026-03-08T00:00:00', end: '2026-03-10T00:00:00' },
      timeZone: 'America/New_York',
    });
    expect(cells(rows)).toEqual([
      ['Sales', '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00', '2', '1', '1'],
      ['Sales', '2026-03-09T00:00:00-04:00', '2026-03-10T00:00:00-04:00', '1', '0', '1'],
    ]);
  });

  it('Asia/Kolkata, days and 15 minutes on a half-hour offset', () => {
    const days = runScenario('ctr-interval-boundaries', {
      groupings: ['QUEUE'],
      filters: { QUEUE: ['Support'] },
      metrics: METRICS,
      interval: 'DAY',
      timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-12T00:00:00' },
      timeZone: 'Asia/Kolkata',
    });
    expect(cells(days)).toEqual([
      // bd-4 (23:59:59), bd-6, bd-7.
      ['Support', '2026-03-10T00:00:00+05:30', '2026-03-11T00:00:00+05:30', '3', '1', '2'],
      // bd-5 at exactly 00:00:00 IST.
      ['Support', '2026-03-11T00:00:00+05:30', '2026-03-12T00:00:00+05:30', '1', '0', '1'],
    ]);
    const quarters = runScenario('ctr-interval-boundaries', {
      groupings: ['QUEUE'],
      filters: { QUEUE: ['Support'] },
      metrics: METRICS,
      interval: 'FIFTEEN_MIN',
      timeRange: { start: '2026-03-10T14:00:00', end: '2026-03-10T15:00:00' },
      timeZone: 'Asia/Kolkata',
    });
    expect(cells(quarters)).toEqual([
      ['Support', '2026-03-10T14:30:00+05:30', '2026-03-10T14:45:00+05:30', '1', '1', '0'],
      ['Support', '2026-03-10T14:45:00+05:30', '2026-03-10T15:00:00+05:30', '1', '0', '1'],
    ]);
  });
});
