/**
 * The local dashboard's pieces: the recorder behind the publishing
 * interface, recorded datapoints turned into widget series the way
 * CloudWatch aggregates them, and the SVG/HTML rendering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byPeriod, widgetChart } from '../../cli/dashboard/charts.js';
import { chartSvg, escapeHtml, niceStep, renderDashboard } from '../../cli/dashboard/render.js';
import { MetricsRecorder } from '../../cli/local/metrics-recorder.js';
import { AGENT_METRICS, QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { dashboardRows } from '../../lambdas/domain/realtime/dashboard-layout.js';
import { InvalidDatapointError } from '../../lambdas/realtime/cloudwatch-publisher.js';

const T0 = Date.parse('2026-03-10T00:00:00Z');
const MIN = 60_000;
const tmp = mkdtempSync(join(tmpdir(), 'cm-charts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('MetricsRecorder', () => {
  it('records what it is given, by series', async () => {
    const r = new MetricsRecorder();
    await r.publish('NS', [
      { metric: QUEUE_METRICS.contactsQueued, dimensions: { Queue: 'Sales' }, value: 2, timestampMs: T0 + MIN },
      { metric: QUEUE_METRICS.contactsQueued, dimensions: { Queue: 'Sales' }, value: 1, timestampMs: T0 },
    ]);
    expect([...r.series('ContactsQueued').values()].map((s) => s.points)).toEqual([
      [
        { t: T0, v: 1 },
        { t: T0 + MIN, v: 2 },
      ],
    ]);
  });

  it('rejects what CloudWatch would reject, like the CloudWatch adapter', async () => {
    await expect(new MetricsRecorder().publish('NS', [{ metric: QUEUE_METRICS.contactsQueued, dimensions: { Queue: '' }, value: 1, timestampMs: T0 }])).rejects.toThrow(InvalidDatapointError);
  });

  it('saves to JSON and loads the same datapoints back', async () => {
    const r = new MetricsRecorder();
    await r.publish('NS', [{ metric: AGENT_METRICS.online, dimensions: { RoutingProfile: 'Basic' }, value: 4, timestampMs: T0 }]);
    await r.save(join(tmp, 'm.json'));
    expect((await MetricsRecorder.load(join(tmp, 'm.json'))).all()).toEqual(r.all());
  });
});

describe('byPeriod', () => {
  const pts = [0, 1, 2, 5, 6].map((m) => ({ t: T0 + m * MIN, v: m }));

  it('sums counts per period from the start of the range', () => {
    expect(byPeriod(pts, T0, 5 * MIN, 'Sum')).toEqual([
      { t: T0, v: 3 },
      { t: T0 + 5 * MIN, v: 11 },
    ]);
  });

  it('averages gauges and takes maxima per period', () => {
    expect([byPeriod(pts, T0, 5 * MIN, 'Average').map((p) => p.v), byPeriod(pts, T0, 5 * MIN, 'Maximum').map((p) => p.v)]).toEqual([
      [1, 5.5],
      [2, 6],
    ]);
  });
});

describe('widgetChart', () => {
  const recorded = async () => {
    const r = new MetricsRecorder();
    await r.publish('NS', [
      { metric: AGENT_METRICS.online, dimensions: { RoutingProfile: 'A' }, value: 2, timestampMs: T0 },
      { metric: AGENT_METRICS.online, dimensions: { RoutingProfile: 'B' }, value: 3, timestampMs: T0 },
      { metric: AGENT_METRICS.online, dimensions: { Queue: 'Sales' }, value: 5, timestampMs: T0 },
      { metric: QUEUE_METRICS.serviceLevel, dimensions: { Queue: 'Sales' }, value: 80, timestampMs: T0 },
      { metric: QUEUE_METRICS.serviceLevel, dimensions: { Queue: 'Support' }, value: 60, timestampMs: T0 },
    ]);
    return r.all();
  };
  const widget = (id: string) => {
    const w = dashboardRows().flatMap((r) => r.widgets).find((x) => x.id === id);
    if (!w) throw new Error(`no widget ${id}`);
    return w;
  };

  it('sums the per-routing-profile agent counts into the whole center, ignoring the per-queue copies', async () => {
    const chart = widgetChart(widget('agent-states'), await recorded(), { startMs: T0, endMs: T0 + 86_400_000 });
    expect(chart.series.find((s) => s.label === 'Online')?.points).toEqual([{ t: T0, v: 5 }]);
  });

  it('draws one line per queue for a per-queue widget, with the target line', async () => {
    const chart = widgetChart(widget('service-level'), await recorded(), { startMs: T0, endMs: T0 + 86_400_000 });
    expect([chart.series.map((s) => s.label), chart.annotation?.value]).toEqual([['Sales', 'Support'], 80]);
  });
});

describe('rendering', () => {
  it('escapes text', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('picks round tick steps', () => {
    expect([niceStep(5), niceStep(100), niceStep(7), niceStep(0)]).toEqual([2, 25, 2, 0.25]);
  });

  it('breaks a line where a period has no datapoint', () => {
    const svg = chartSvg(
      { id: 'x', title: 'x', periodSec: 300, stat: 'Average', series: [{ label: 's', points: [0, 5, 20].map((m) => ({ t: T0 + m * MIN, v: 1 })) }] },
      { startMs: T0, endMs: T0 + 3_600_000 },
      'UTC',
    );
    expect((/ d="([^"]*)"/.exec(svg)?.[1] ?? '').match(/M/g)?.length).toBe(2);
  });

  it('shows a note instead of an empty chart', () => {
    const html = renderDashboard({
      title: 't',
      subtitle: 's',
      timeZone: 'UTC',
      startMs: T0,
      endMs: T0 + 86_400_000,
      rows: [{ title: 'Queues', charts: [{ id: 'contacts-in-queue', title: 'Contacts in queue', series: [], periodSec: 300, stat: 'Maximum', emptyNote: 'Needs contact events.' }] }],
      pipeline: { tiles: [], charts: [] },
      tables: [],
      notes: [],
    });
    expect([html.includes('<svg'), html.includes('Needs contact events.')]).toEqual([false, true]);
  });
});
