/**
 * The local stand-in for CloudWatch: the same `MetricsPublisher` interface as
 * the CloudWatch adapter, recording every datapoint in memory (and to a JSON
 * file on request) so the local dashboard can chart the series the deployed
 * dashboard shows. Datapoints are validated exactly as the CloudWatch adapter
 * validates them, so what records locally would also publish.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CloudWatchUnit } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import type { Datapoint } from '../../lambdas/domain/realtime/datapoints.js';
import { validateDatapoint } from '../../lambdas/realtime/cloudwatch-publisher.js';
import type { MetricsPublisher, PublishResult } from '../../lambdas/realtime/metrics-publisher.js';

export interface RecordedDatapoint {
  readonly namespace: string;
  readonly name: string;
  readonly unit: CloudWatchUnit;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number;
}

/** A series: one metric name with one set of dimension values. */
export const seriesKey = (name: string, dimensions: Readonly<Record<string, string>>): string =>
  `${name}|${Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

export class MetricsRecorder implements MetricsPublisher {
  private readonly points: RecordedDatapoint[] = [];

  async publish(namespace: string, datapoints: readonly Datapoint[]): Promise<PublishResult> {
    for (const d of datapoints) {
      validateDatapoint(d);
      this.points.push({ namespace, name: d.metric.name, unit: d.metric.unit, dimensions: { ...d.dimensions }, value: d.value, timestampMs: d.timestampMs });
    }
    return { datapoints: datapoints.length, calls: 0 };
  }

  all(): readonly RecordedDatapoint[] {
    return this.points;
  }

  /** Datapoints of one metric, grouped by series, each in time order. */
  series(name: string): Map<string, { dimensions: Readonly<Record<string, string>>; points: Array<{ t: number; v: number }> }> {
    const out = new Map<string, { dimensions: Readonly<Record<string, string>>; points: Array<{ t: number; v: number }> }>();
    for (const p of this.points) {
      if (p.name !== name) continue;
      const k = seriesKey(p.name, p.dimensions);
      let s = out.get(k);
      if (!s) out.set(k, (s = { dimensions: p.dimensions, points: [] }));
      s.points.push({ t: p.timestampMs, v: p.value });
    }
    for (const s of out.values()) s.points.sort((a, b) => a.t - b.t);
    return out;
  }

  /** Writes the datapoints grouped by series (name, unit, dimensions once, then [timestamp, value] pairs): a day is tens of thousands of points. */
  async save(path: string): Promise<void> {
    const series = new Map<string, { namespace: string; name: string; unit: CloudWatchUnit; dimensions: Readonly<Record<string, string>>; points: Array<[number, number]> }>();
    for (const p of this.points) {
      const k = `${p.namespace}|${seriesKey(p.name, p.dimensions)}`;
      let s = series.get(k);
      if (!s) series.set(k, (s = { namespace: p.namespace, name: p.name, unit: p.unit, dimensions: p.dimensions, points: [] }));
      s.points.push([p.timestampMs, p.value]);
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify({ series: [...series.values()] })}\n`);
  }

  static async load(path: string): Promise<MetricsRecorder> {
    const r = new MetricsRecorder();
    const json = JSON.parse(await readFile(path, 'utf8')) as { series?: Array<Omit<RecordedDatapoint, 'value' | 'timestampMs'> & { points: Array<[number, number]> }> };
    for (const s of json.series ?? []) {
      for (const [timestampMs, value] of s.points) r.points.push({ namespace: s.namespace, name: s.name, unit: s.unit, dimensions: s.dimensions, value, timestampMs });
    }
    return r;
  }
}
