/**
 * Builds the local dashboard for a stored day: runs the real-time publisher
 * at every minute of the day (as the deployed schedule would have) against an
 * in-memory copy of the day (DayReader), records the datapoints with the
 * local recorder, and draws the same widgets the CloudWatch dashboard has
 * (domain/realtime/dashboard-layout.ts), a pipeline row read from the store,
 * and the agents' states at the end of the replayed range.
 *
 * Minute by minute, not every 5 minutes: ContactsQueued, ContactsHandled and
 * ContactsAbandoned are counts of one minute each, so skipping minutes would
 * lose contacts from the sums. A day is 1,440 runs in memory, a few seconds.
 */
import { dashboardRows, DEFAULT_SL_TARGET_PERCENT } from '../../lambdas/domain/realtime/dashboard-layout.js';
import { MINUTE_MS, TRAILING_MS } from '../../lambdas/domain/realtime/datapoints.js';
import { agentTableRows, AGENT_COLUMNS } from '../../lambdas/domain/realtime/report.js';
import type { SlThreshold } from '../../lambdas/domain/metrics/primitives.js';
import { BUCKET_MS, formatInZone, localDate, localMidnight, addDays, assertTimeZone } from '../../lambdas/domain/time/intervals.js';
import type { ContactEventSource } from '../../lambdas/storage/contact-event-source.js';
import { defaultPublisherConfig, RealtimePublisher } from '../../lambdas/realtime/publisher.js';
import { LOOKAHEAD_MS, loadRealtimeReport } from '../../lambdas/realtime/realtime-view.js';
import { utcDaysBetween } from '../../lambdas/storage/dynamodb/keys.js';
import { DEFAULT_NAMESPACE } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import type { OpenedStore } from '../commands/realtime.js';
import { MetricsRecorder } from '../local/metrics-recorder.js';
import { byPeriod, widgetChart } from './charts.js';
import type { ChartModel } from './charts.js';
import { DayReader } from './day-reader.js';
import { renderDashboard } from './render.js';
import type { DashboardModel, PipelineSummary } from './render.js';

const PIPELINE_ROW = 'Pipeline';

export class DashboardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DashboardError';
  }
}

export interface DashboardOptions {
  /** Local date (yyyy-mm-dd) in `timeZone`; default: the date of the newest agent event. */
  readonly date?: string;
  readonly timeZone: string;
  readonly slTargetPercent?: number;
  readonly slThresholds?: ReadonlyMap<string, SlThreshold>;
  readonly namespace?: string;
}

export interface BuiltDashboard {
  readonly html: string;
  readonly recorder: MetricsRecorder;
  readonly model: DashboardModel;
  readonly runs: number;
  readonly startMs: number;
  readonly endMs: number;
}

async function count<T>(it: AsyncIterable<T>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

async function pipelineSummary(opened: OpenedStore, day: DayReader, range: { startMs: number; endMs: number }): Promise<PipelineSummary> {
  const contacts = day.all().filter((c) => c.disconnectMs >= range.startMs && c.disconnectMs < range.endMs);
  const events: Array<{ t: number; v: number }> = [];
  for (const s of await day.agentStates()) {
    for (const p of await day.timeline(s.agentArn, range.startMs, range.endMs)) if (p.eventMs >= range.startMs) events.push({ t: p.eventMs, v: 1 });
  }
  const [ctrDead, agentDead, contactDead] = await Promise.all([
    count(opened.store.deadLetters('ctr')),
    count(opened.store.deadLetters('agent-events')),
    count(opened.contactEvents.io.query('X#contact-events', undefined, ['pk', 'sk'])),
  ]);
  const runs = { succeeded: 0, failed: 0, pending: 0 };
  for (const d of utcDaysBetween(range.startMs, range.endMs)) {
    for await (const item of opened.store.io.query(`R#${d}`, undefined, ['status', 'generateAtMs'])) {
      const at = Number(item.generateAtMs);
      if (at < range.startMs || at >= range.endMs) continue;
      if (item.status === 'succeeded') runs.succeeded++;
      else if (item.status === 'failed') runs.failed++;
      else runs.pending++;
    }
  }
  const chart: ChartModel = {
    id: 'records-applied',
    title: 'Records in the store',
    series: [
      { label: 'Contact records (by disconnect)', points: byPeriod(contacts.map((c) => ({ t: c.disconnectMs, v: 1 })), range.startMs, BUCKET_MS, 'Sum') },
      { label: 'Agent events', points: byPeriod(events, range.startMs, BUCKET_MS, 'Sum') },
    ],
    periodSec: BUCKET_MS / 1000,
    stat: 'Sum',
  };
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    tiles: [
      { label: 'Contact records applied', value: fmt(contacts.length) },
      { label: 'Agent events applied', value: fmt(events.length) },
      { label: 'Dead-lettered records', value: fmt(ctrDead + agentDead + contactDead), note: `CTR ${ctrDead}, agent events ${agentDead}, contact events ${contactDead}` },
      { label: 'Report runs succeeded', value: fmt(runs.succeeded) },
      { label: 'Report runs failed', value: fmt(runs.failed), note: runs.pending > 0 ? `${runs.pending} pending` : undefined },
    ],
    charts: [chart],
  };
}

/** In queue and Oldest over a past day: every contact lifecycle the table holds (waitingAt reads their timestamps). */
async function historicalContactEvents(opened: OpenedStore): Promise<ContactEventSource | null> {
  if (!(await opened.contactEvents.enabled())) return null;
  const all = await opened.contactEvents.all();
  return { enabled: async () => true, open: async () => all };
}

export async function buildDashboard(opened: OpenedStore, o: DashboardOptions): Promise<BuiltDashboard> {
  assertTimeZone(o.timeZone);
  const states = await opened.store.agentStates();
  const newest = states.reduce<number | null>((m, s) => (m === null || s.eventMs > m ? s.eventMs : m), null);
  if (newest === null) throw new DashboardError('The store holds no agent events: replay some first');
  const date = o.date ?? localDate(newest, o.timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new DashboardError(`--date must be yyyy-mm-dd, got "${date}"`);
  const dayStart = localMidnight(date, o.timeZone);
  const dayEnd = localMidnight(addDays(date, 1), o.timeZone);
  // Up to the minute after the newest data: later minutes would only repeat the last states.
  const runEnd = Math.min(dayEnd, Math.ceil(newest / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  if (runEnd <= dayStart) throw new DashboardError(`No data on ${date} (${o.timeZone}): the newest agent event is ${formatInZone(newest, o.timeZone)}`);

  const day = await DayReader.load(opened.store, dayStart - TRAILING_MS - MINUTE_MS, runEnd + LOOKAHEAD_MS);
  const recorder = new MetricsRecorder();
  const publisher = new RealtimePublisher({
    reader: day,
    contactEvents: await historicalContactEvents(opened),
    publisher: recorder,
    config: defaultPublisherConfig(o.namespace ?? DEFAULT_NAMESPACE, o.slThresholds),
  });
  let runs = 0;
  for (let t = dayStart + MINUTE_MS; t <= runEnd; t += MINUTE_MS) {
    await publisher.run(t);
    runs++;
  }

  const range = { startMs: dayStart, endMs: dayEnd };
  const points = recorder.all();
  const rows = dashboardRows(o.slTargetPercent ?? DEFAULT_SL_TARGET_PERCENT).map((r) => ({
    title: r.title,
    charts: r.widgets.map((w) => widgetChart(w, points, range)),
  }));
  const pipeline = await pipelineSummary(opened, day, { startMs: dayStart, endMs: runEnd });
  const { report, entities } = await loadRealtimeReport(opened.store, opened.contactEvents, { nowMs: runEnd, window: { kind: 'midnight', timeZone: o.timeZone } });
  const model: DashboardModel = {
    title: `connect-metrics — ${date}`,
    subtitle: `${formatInZone(dayStart, o.timeZone)} to ${formatInZone(runEnd, o.timeZone)} (${o.timeZone}); the real-time publisher replayed every minute (${runs} runs) into the local recorder`,
    timeZone: o.timeZone,
    startMs: dayStart,
    endMs: dayEnd,
    rows: rows.filter((r) => r.title !== PIPELINE_ROW),
    pipeline: { tiles: pipeline.tiles, charts: [...rows.filter((r) => r.title === PIPELINE_ROW).flatMap((r) => r.charts), ...pipeline.charts] },
    tables: [
      {
        title: `Agents at ${formatInZone(runEnd, o.timeZone)}`,
        columns: AGENT_COLUMNS,
        rows: agentTableRows(report.agents, entities),
        note: 'Performance columns cover midnight to this instant.',
      },
    ],
    notes: [
      'Same widgets as the CloudWatch dashboard: per-queue service level against the target, contacts queued, handled and abandoned, agent states, occupancy, and pipeline health.',
      'Contact counts are per-minute datapoints summed per period; gauges are averaged. In queue needs contact events.',
      'Pipeline tiles are read from the local table (the local runtime has no CloudWatch to hold the stream handlers\u2019 counters).',
    ],
  };
  return { html: renderDashboard(model), recorder, model, runs, startMs: dayStart, endMs: runEnd };
}
