/**
 * The local dashboard end to end: a simulated day replayed through the local
 * pipeline into a data dir, `dashboard` replays the real-time publisher over
 * it into the local recorder and writes index.html, and headless Chromium
 * loads the page and checks that every chart drew. A screenshot is saved in
 * the test's temp dir (kept when CM_KEEP_TEST_OUTPUT is set, to look at).
 *
 * The browser is the one CHROMIUM_PATH names, else Debian's /usr/bin/chromium
 * (CI installs it). Without one, the browser checks are skipped with a
 * message saying so and how to enable them: a missing browser never fails a
 * first `npm test`. A CHROMIUM_PATH that names no file does fail.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDashboard } from '../../cli/commands/dashboard.js';
import { LocalPipeline } from '../../cli/local/pipeline.js';
import { MetricsRecorder } from '../../cli/local/metrics-recorder.js';
import { simulate } from '../../cli/simulator/index.js';
import { QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';

/** Where Chromium is looked for when CHROMIUM_PATH is not set (Debian and Ubuntu package names). */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const CHROMIUM_PATH = process.env.CHROMIUM_PATH;
const CHROMIUM = CHROMIUM_PATH !== undefined && CHROMIUM_PATH !== '' ? CHROMIUM_PATH : CHROMIUM_CANDIDATES.find((p) => existsSync(p));
if (CHROMIUM === undefined) {
  console.warn(
    `\nThe dashboard's browser checks did NOT run: no Chromium at ${CHROMIUM_CANDIDATES.join(' or ')}.\n` +
      'To run them, install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable.\n',
  );
}
const ZONE = 'America/Chicago';
const sim = simulate({ seed: 3, agents: 5, hours: 24, start: '2026-03-10T00:00:00', timeZone: ZONE });
const tmp = mkdtempSync(join(tmpdir(), 'cm-dashboard-'));
const dataDir = join(tmp, 'data');
const out = join(tmp, 'dashboard');
let built: Awaited<ReturnType<typeof runDashboard>>;

interface ChartCheck {
  readonly id: string;
  readonly series: number;
  readonly drawn: number;
  readonly width: number;
  readonly height: number;
}
let charts: ChartCheck[] = [];
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  const pipeline = await LocalPipeline.start({ dataDir });
  try {
    await pipeline.put('ctr', sim.ctrLines);
    await pipeline.put('agent-events', sim.agentEventLines);
    await pipeline.drain();
  } finally {
    await pipeline.stop();
  }
  built = await runDashboard({ out, dataDir, timeZone: ZONE, slTarget: 80 }, () => undefined);
}, 120_000);

/** Loads the page in headless Chromium and measures every chart. */
async function renderInChromium(executablePath: string): Promise<void> {
  const browser = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        // Typed structurally: the project compiles without the DOM library; this runs in the page.
        const paths = [...svg.querySelectorAll('path.series')] as unknown as Array<{ getBBox(): { width: number; height: number } }>;
        const boxes = paths.map((p) => p.getBBox());
        const drawn = boxes.filter((b) => b.width > 0 && b.height > 0).length;
        return {
          id: svg.getAttribute('data-chart') ?? '',
          series: paths.length,
          drawn,
          width: Math.max(0, ...boxes.map((b) => b.width)),
          height: Math.max(0, ...boxes.map((b) => b.height)),
        };
      }),
    );
    await page.screenshot({ path: join(tmp, 'dashboard.png'), fullPage: true });
  } finally {
    await browser.close();
  }
}

afterAll(() => {
  if (!process.env.CM_KEEP_TEST_OUTPUT) rmSync(tmp, { recursive: true, force: true });
});

describe('connect-metrics dashboard', () => {
  it('writes a self-contained page: no script, no external resource', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect([/<script/i.test(html), /(src|href)=["']?(https?:)?\/\//i.test(html), /@import|url\(/i.test(html)]).toEqual([false, false, false]);
  });

  it('replays the publisher every minute of the day up to the newest data', () => {
    expect(built.runs).toBe((built.endMs - built.startMs) / 60_000);
  });

  it('records per-minute contact counts that add up to the day (no minute lost, none counted twice)', () => {
    const handled = new Map<string, { h: boolean; d: number; u: number }>();
    for (const l of sim.ctrLines) {
      const c = JSON.parse(l) as { ContactId: string; LastUpdateTimestamp: string; DisconnectTimestamp: string; Queue: unknown; Agent: { ConnectedToAgentTimestamp: string | null } | null };
      const u = Date.parse(c.LastUpdateTimestamp);
      const cur = handled.get(c.ContactId);
      if (c.Queue && (!cur || u > cur.u)) handled.set(c.ContactId, { h: Boolean(c.Agent?.ConnectedToAgentTimestamp), d: Date.parse(c.DisconnectTimestamp), u });
    }
    const expected = [...handled.values()].filter((c) => c.h && c.d >= built.startMs && c.d < built.endMs).length;
    const recorded = built.recorder.all().filter((p) => p.name === QUEUE_METRICS.contactsHandled.name).reduce((s, p) => s + p.value, 0);
    expect([expected > 50, recorded]).toEqual([true, expected]);
  });

  it('saves the recorded datapoints, which load back the same', async () => {
    const loaded = await MetricsRecorder.load(join(out, 'metrics.json'));
    expect(loaded.all().length).toBe(built.recorder.all().length);
  });

  describe.skipIf(CHROMIUM === undefined)('in headless Chromium', () => {
    beforeAll(async () => {
      if (CHROMIUM_PATH !== undefined && CHROMIUM_PATH !== '' && !existsSync(CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is ${CHROMIUM_PATH}, which does not exist`);
      await renderInChromium(CHROMIUM ?? '');
    }, 120_000);

    it('loads without errors and without network requests', () => {
      expect([errors, requests.filter((u) => !u.startsWith('file://'))]).toEqual([[], []]);
    });

    it('draws every chart with data: each has series paths of non-zero size', () => {
      const expectedCharts = built.model.rows.flatMap((r) => r.charts).filter((c) => c.series.some((s) => s.points.length > 0)).length + built.model.pipeline.charts.length;
      expect(charts.length).toBe(expectedCharts);
      for (const c of charts) expect([c.id, c.series > 0, c.drawn > 0, c.width > 100, c.height > 10]).toEqual([c.id, true, true, true, true]);
    });

    it('draws the widgets of the CloudWatch dashboard', () => {
      expect(charts.map((c) => c.id)).toEqual(['service-level', 'contacts-queued', 'contacts-handled', 'contacts-abandoned', 'agent-states', 'occupancy', 'agent-event-age', 'records-applied']);
    });

    it('saves a screenshot in the test directory', () => {
      expect(existsSync(join(tmp, 'dashboard.png'))).toBe(true);
    });
  });
});
