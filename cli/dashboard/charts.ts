/**
 * Turns recorded datapoints into the series a dashboard widget draws, the way
 * CloudWatch would: datapoints grouped into periods from the start of the
 * range, one statistic per period (domain/realtime/dashboard-layout.ts says
 * which).
 */
import type { MetricWidget, WidgetStat } from '../../lambdas/domain/realtime/dashboard-layout.js';
import type { RecordedDatapoint } from '../local/metrics-recorder.js';

export interface ChartPoint {
  readonly t: number;
  readonly v: number;
}

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly ChartPoint[];
}

export interface ChartModel {
  readonly id: string;
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly annotation?: { readonly label: string; readonly value: number };
  readonly emptyNote?: string;
  /** Length of one period, for the axis caption. */
  readonly periodSec: number;
  readonly stat: WidgetStat;
}

function reduce(values: readonly number[], stat: WidgetStat): number {
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'Maximum') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Groups (t, v) into periods from `startMs` and applies the statistic. */
export function byPeriod(points: Iterable<ChartPoint>, startMs: number, periodMs: number, stat: WidgetStat): ChartPoint[] {
  const buckets = new Map<number, number[]>();
  for (const p of points) {
    const b = startMs + Math.floor((p.t - startMs) / periodMs) * periodMs;
    let l = buckets.get(b);
    if (!l) buckets.set(b, (l = []));
    l.push(p.v);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([t, vs]) => ({ t, v: reduce(vs, stat) }));
}

const SHORT_NAMES: Record<string, string> = {
  AgentsOnline: 'Online',
  AgentsAvailable: 'Available',
  AgentsOnContact: 'On contact',
  AgentsAfterContactWork: 'ACW',
  AgentsNonProductive: 'NPT',
  AgentsError: 'Error',
  AgentsStaffed: 'Staffed',
};

export function widgetChart(w: MetricWidget, points: readonly RecordedDatapoint[], range: { startMs: number; endMs: number }): ChartModel {
  const periodMs = w.periodSec * 1000;
  const inRange = points.filter((p) => p.timestampMs >= range.startMs && p.timestampMs < range.endMs);
  const series: ChartSeries[] = [];
  for (const metric of w.metrics) {
    const mine = inRange.filter((p) => p.name === metric.name);
    if (w.splitBy !== null) {
      const dim = w.splitBy;
      const byValue = new Map<string, ChartPoint[]>();
      for (const p of mine) {
        const v = p.dimensions[dim];
        if (v === undefined || Object.keys(p.dimensions).length !== 1) continue;
        let l = byValue.get(v);
        if (!l) byValue.set(v, (l = []));
        l.push({ t: p.timestampMs, v: p.value });
      }
      for (const [label, pts] of [...byValue.entries()].sort(([a], [b]) => a.localeCompare(b))) series.push({ label, points: byPeriod(pts, range.startMs, periodMs, w.stat) });
    } else {
      // Sum away the dimension at each instant first (the center-wide count at that minute), then take the period statistic.
      const atInstant = new Map<number, number>();
      for (const p of mine) {
        const keys = Object.keys(p.dimensions);
        const matches = w.sumOver === undefined ? keys.length === 0 : keys.length === 1 && keys[0] === w.sumOver;
        if (matches) atInstant.set(p.timestampMs, (atInstant.get(p.timestampMs) ?? 0) + p.value);
      }
      const pts = [...atInstant.entries()].map(([t, v]) => ({ t, v }));
      if (pts.length > 0) series.push({ label: SHORT_NAMES[metric.name] ?? metric.name, points: byPeriod(pts, range.startMs, periodMs, w.stat) });
    }
  }
  return {
    id: w.id,
    title: w.title,
    series,
    ...(w.annotation ? { annotation: w.annotation } : {}),
    ...(w.emptyNote ? { emptyNote: w.emptyNote } : {}),
    periodSec: w.periodSec,
    stat: w.stat,
  };
}
