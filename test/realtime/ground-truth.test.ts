/**
 * Real-time values against the simulator's own output. A simulated day is
 * replayed through the local pipeline (kinesalite, dynalite, the unchanged
 * stream handlers) up to an instant T — agent events with EventTimestamp ≤ T,
 * contact records with LastUpdateTimestamp ≤ T, what Connect would have
 * published by then — and the `realtime` command's report at T is compared
 * with values this test computes from the emitted JSON lines alone,
 * independently of the domain code:
 * - agent counts: each agent's latest CurrentAgentSnapshot at T, classified
 *   from the real-time definitions, per inbound queue and routing profile;
 * - performance over the trailing 2 hours: the latest version of each contact
 *   record published by T, whose DisconnectTimestamp lies in [T − 2 h, T).
 * The same day replayed whole must give the same agent counts at T (the
 * report rebuilds past states from timelines), and performance from the
 * final record versions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as csvParse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPipeline } from '../../cli/local/pipeline.js';
import { openLocalStore, writeRealtimeReport } from '../../cli/commands/realtime.js';
import type { RealtimeRun } from '../../cli/commands/realtime.js';
import { simulate } from '../../cli/simulator/index.js';
import type { GroupRow } from '../../lambdas/domain/realtime/report.js';
import { byQueue, classifyState, countAgents } from '../../lambdas/domain/realtime/agent-counts.js';
import type { AgentCounts } from '../../lambdas/domain/realtime/agent-counts.js';
import { agentStatesAt, collect, contactLookup } from '../../lambdas/realtime/realtime-view.js';
import { defaultPublisherConfig, RealtimePublisher } from '../../lambdas/realtime/publisher.js';
import { AGENT_METRICS, QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { MetricsRecorder } from '../../cli/local/metrics-recorder.js';

const sim = simulate({ seed: 42, agents: 6, hours: 24, start: '2026-03-10T00:00:00', timeZone: 'America/Chicago' });
// 10:14 in Chicago: agents in a custom status, in ACW, on a call and available at once.
const T = Date.parse('2026-03-10T15:14:28.499Z');
// 12:07 in Chicago: an agent's outbound call is ringing the customer.
const T2 = Date.parse('2026-03-10T17:07:37.754Z');
/** Instants across the working day, every 10 min 17 s, for the agent-count sweep. */
const SWEEP = Array.from({ length: 70 }, (_, i) => Date.parse('2026-03-10T11:00:00Z') + i * 617_000);
const HOURS_2 = 2 * 3600 * 1000;

// ------------------------------------------------------------------ raw JSON, read independently of the domain

interface RawContact {
  State: string;
  InitiationMethod: string;
}
interface RawSnapshot {
  AgentStatus: { Name: string; Type: string };
  Configuration: { Username: string; RoutingProfile: { ARN: string; InboundQueues: Array<{ ARN: string; Name: string }> } };
  Contacts: RawContact[];
}
interface RawAgentEvent {
  AgentARN: string;
  EventTimestamp: string;
  EventType: string;
  CurrentAgentSnapshot: RawSnapshot;
}
interface RawCtr {
  ContactId: string;
  InitiationMethod: string;
  DisconnectTimestamp: string;
  LastUpdateTimestamp: string;
  DisconnectReason: string | null;
  NextContactId: string | null;
  Queue: { ARN: string; Name: string; EnqueueTimestamp: string | null; Duration: number } | null;
  Agent: { ConnectedToAgentTimestamp: string | null; AgentInteractionDuration: number; CustomerHoldDuration: number; AfterContactWorkDuration: number } | null;
}

const agentEvents = sim.agentEventLines.map((l) => JSON.parse(l) as RawAgentEvent);
const ctrs = sim.ctrLines.map((l) => JSON.parse(l) as RawCtr);

type Counts = { online: number; onContact: number; npt: number; acw: number; error: number; available: number; staffed: number };
const zero = (): Counts => ({ online: 0, onContact: 0, npt: 0, acw: 0, error: 0, available: 0, staffed: 0 });

/** The real-time definitions, applied to one raw snapshot. */
function countsOf(e: RawAgentEvent): Counts {
  const c = zero();
  if (e.EventType === 'LOGOUT') return c;
  const s = e.CurrentAgentSnapshot;
  const type = s.AgentStatus.Type;
  if (type !== 'OFFLINE') c.online = 1;
  if (type === 'CUSTOM') c.npt = 1;
  if (type === 'ROUTABLE') c.staffed = 1;
  if (type === 'ROUTABLE' && s.Contacts.length === 0) c.available = 1;
  const ringingOut = (x: RawContact) => x.State === 'CONNECTING' && (x.InitiationMethod === 'OUTBOUND' || x.InitiationMethod === 'CALLBACK');
  if (s.Contacts.some((x) => ['CONNECTED', 'CONNECTED_ONHOLD', 'ENDED'].includes(x.State) || ringingOut(x))) c.onContact = 1;
  c.acw = s.Contacts.filter((x) => x.State === 'ENDED').length;
  if (s.Contacts.some((x) => ['MISSED', 'REJECTED', 'ERROR'].includes(x.State))) c.error = 1;
  return c;
}

function latestAt(at: number): RawAgentEvent[] {
  const latest = new Map<string, RawAgentEvent>();
  for (const e of agentEvents) if (Date.parse(e.EventTimestamp) <= at) latest.set(e.AgentARN, e);
  return [...latest.values()];
}

function expectedCounts(at: number): { queues: Map<string, Counts>; profiles: Map<string, Counts>; summary: Counts } {
  const queues = new Map<string, Counts>();
  const profiles = new Map<string, Counts>();
  const summary = zero();
  const add = (into: Counts, c: Counts) => (Object.keys(c) as Array<keyof Counts>).forEach((k) => (into[k] += c[k]));
  for (const e of latestAt(at)) {
    const c = countsOf(e);
    add(summary, c);
    const rp = e.CurrentAgentSnapshot.Configuration.RoutingProfile;
    for (const q of rp.InboundQueues) add(queues.get(q.ARN) ?? (queues.set(q.ARN, zero()).get(q.ARN) as Counts), c);
    add(profiles.get(rp.ARN) ?? (profiles.set(rp.ARN, zero()).get(rp.ARN) as Counts), c);
  }
  return { queues, profiles, summary };
}

interface Perf {
  contacts_queued: number | null;
  contacts_handled: number | null;
  contacts_abandoned: number | null;
  avg_handle_time: number | null;
  service_level_60: number | null;
  max_queued_time: number | null;
  contacts_handled_incoming: number | null;
  contacts_handled_outbound: number | null;
}

/** Latest version of each contact among the records published by `publishedBy`, disconnected in [from, to). */
function contactsIn(from: number, to: number, publishedBy: number): RawCtr[] {
  const latest = new Map<string, RawCtr>();
  for (const c of ctrs) {
    if (Date.parse(c.LastUpdateTimestamp) > publishedBy) continue;
    const cur = latest.get(c.ContactId);
    if (!cur || Date.parse(c.LastUpdateTimestamp) > Date.parse(cur.LastUpdateTimestamp)) latest.set(c.ContactId, c);
  }
  return [...latest.values()].filter((c) => Date.parse(c.DisconnectTimestamp) >= from && Date.parse(c.DisconnectTimestamp) < to);
}

function perfOf(list: RawCtr[]): Perf {
  if (list.length === 0) return { contacts_queued: null, contacts_handled: null, contacts_abandoned: null, avg_handle_time: null, service_level_60: null, max_queued_time: null, contacts_handled_incoming: null, contacts_handled_outbound: null };
  const handled = list.filter((c) => c.Agent?.ConnectedToAgentTimestamp);
  const queued = list.filter((c) => c.Queue?.EnqueueTimestamp);
  // A DisconnectReason present and null (ended by a flow or an API) is not an abandon; only a record without the key keeps the 2019 rule.
  const abandoned = queued.filter((c) => !c.Agent?.ConnectedToAgentTimestamp && !c.NextContactId && (!('DisconnectReason' in c) || c.DisconnectReason === 'CUSTOMER_DISCONNECT'));
  const removedIn60 = queued.filter((c) => (c.Queue?.Duration ?? 0) <= 60 && (c.Agent?.ConnectedToAgentTimestamp || c.NextContactId || abandoned.includes(c)));
  const handleSec = handled.reduce((s, c) => s + (c.Agent ? c.Agent.AgentInteractionDuration + c.Agent.CustomerHoldDuration + c.Agent.AfterContactWorkDuration : 0), 0);
  return {
    contacts_queued: queued.length,
    contacts_handled: handled.length,
    contacts_abandoned: abandoned.length,
    avg_handle_time: handled.length ? handleSec / handled.length : null,
    service_level_60: queued.length ? (removedIn60.length / queued.length) * 100 : null,
    max_queued_time: queued.length ? Math.max(...queued.map((c) => c.Queue?.Duration ?? 0)) : null,
    contacts_handled_incoming: handled.filter((c) => ['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER'].includes(c.InitiationMethod)).length,
    contacts_handled_outbound: handled.filter((c) => c.InitiationMethod === 'OUTBOUND').length,
  };
}

function expectedPerf(from: number, to: number, publishedBy: number): { byQueue: Map<string, Perf>; summary: Perf } {
  const list = contactsIn(from, to, publishedBy).filter((c) => c.Queue);
  const queues = new Set(list.map((c) => c.Queue?.ARN as string));
  return { byQueue: new Map([...queues].map((q) => [q, perfOf(list.filter((c) => c.Queue?.ARN === q))])), summary: perfOf(list) };
}

// ------------------------------------------------------------------ the report, through the local pipeline

const PERF_IDS = ['contacts_queued', 'contacts_handled', 'contacts_abandoned', 'avg_handle_time', 'service_level_60', 'max_queued_time', 'contacts_handled_incoming', 'contacts_handled_outbound'] as const;
const perfOfRow = (r: GroupRow | undefined) => Object.fromEntries(PERF_IDS.map((id) => [id, r?.values[id] ?? null]));
const countsOfRow = (r: GroupRow | undefined) => r?.counts;
const close = (a: Record<string, number | null>, b: Record<string, number | null>) => {
  for (const k of Object.keys(b)) {
    const x = a[k];
    const y = b[k];
    if (x === null || y === null || x === undefined || y === undefined) expect([k, x]).toEqual([k, y]);
    else expect([k, x]).toEqual([k, expect.closeTo(y, 9)]);
  }
};

const dirs: string[] = [];
async function replayUpTo(limitMs: number, dataDir: string): Promise<void> {
  const pipeline = await LocalPipeline.start({ dataDir, batchSize: 100 });
  try {
    await pipeline.put('ctr', sim.ctrLines.filter((_, i) => Date.parse((ctrs[i] as RawCtr).LastUpdateTimestamp) <= limitMs));
    await pipeline.put('agent-events', sim.agentEventLines.filter((_, i) => Date.parse((agentEvents[i] as RawAgentEvent).EventTimestamp) <= limitMs));
    await pipeline.drain();
    expect(pipeline.failedBatches).toEqual([]);
  } finally {
    await pipeline.stop();
  }
}

async function report(dataDir: string, at: number, window: string): Promise<RealtimeRun> {
  const opened = await openLocalStore(dataDir);
  try {
    return await writeRealtimeReport(opened, { out: join(dataDir, 'out', String(at)), at: new Date(at).toISOString(), window, timeZone: 'America/Chicago', dataDir });
  } finally {
    await opened.close();
  }
}

let partial: RealtimeRun;
let whole: RealtimeRun;
let wholeLater: RealtimeRun;
const swept: Array<{ at: number; summary: AgentCounts; queues: Map<string, AgentCounts> }> = [];
const published = new MetricsRecorder();

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'cm-realtime-'));
  dirs.push(root);
  await replayUpTo(T, join(root, 'partial'));
  partial = await report(join(root, 'partial'), T, '2');
  await replayUpTo(Infinity, join(root, 'whole'));
  whole = await report(join(root, 'whole'), T, '2');
  wholeLater = await report(join(root, 'whole'), T2, 'midnight');
  const opened = await openLocalStore(join(root, 'whole'));
  try {
    const lookup = contactLookup(await collect(opened.store.contacts(Date.parse(sim.truth.start), Date.parse(sim.truth.end) + 86_400_000)));
    const latest = await opened.store.agentStates();
    await new RealtimePublisher({ reader: opened.store, contactEvents: opened.contactEvents, publisher: published, config: defaultPublisherConfig('ConnectMetrics') }).run(T);
    for (const at of SWEEP) {
      const agents = (await agentStatesAt(opened.store, at, lookup, latest)).map(classifyState);
      const counted = countAgents(agents, byQueue);
      swept.push({ at, summary: counted.summary, queues: new Map(counted.rows) });
    }
  } finally {
    await opened.close();
  }
}, 120_000);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('real-time report at T after replaying what Connect had published by T', () => {
  const expected = expectedCounts(T);

  it('is taken when agents are in several states at once (the comparison means something)', () => {
    const s = expected.summary;
    expect([s.online >= 3, s.onContact >= 1, s.acw >= 1, s.npt >= 1, s.available >= 1]).toEqual([true, true, true, true, true]);
  });

  it('counts agents per queue as the raw snapshots say', () => {
    for (const [queue, counts] of expected.queues) expect([queue, countsOfRow(partial.report.queues.find((r) => r.id === queue))]).toEqual([queue, counts]);
  });

  it('counts agents per routing profile as the raw snapshots say', () => {
    for (const [rp, counts] of expected.profiles) expect([rp, countsOfRow(partial.report.routingProfiles.find((r) => r.id === rp))]).toEqual([rp, counts]);
  });

  it('counts each agent once in the summary rows', () => {
    expect([partial.report.queues[0]?.counts, partial.report.routingProfiles[0]?.counts]).toEqual([expected.summary, expected.summary]);
  });

  it('gives the trailing 2-hour performance of every queue from the records published by T', () => {
    const exp = expectedPerf(T - HOURS_2, T, T);
    expect(exp.byQueue.size).toBeGreaterThanOrEqual(4);
    for (const [queue, perf] of exp.byQueue) close(perfOfRow(partial.report.queues.find((r) => r.id === queue)), { ...perf });
  });

  it('gives the summary row performance over every queue', () => {
    close(perfOfRow(partial.report.queues[0]), { ...expectedPerf(T - HOURS_2, T, T).summary });
  });

  it('lists exactly the agents online at T, with their CCP status', () => {
    const online = latestAt(T).filter((e) => countsOf(e).online === 1);
    expect(partial.report.agents.map((a) => [a.login, a.status])).toEqual(online.map((e) => [e.CurrentAgentSnapshot.Configuration.Username, e.CurrentAgentSnapshot.AgentStatus.Name]).sort());
  });

  it('writes the three CSV files with the real-time labels and the summary row first', () => {
    const queues = csvParse(readFileSync(partial.files[0] as string, 'utf8')) as string[][];
    const header = queues[0] ?? [];
    const summary = Object.fromEntries(header.map((h, i) => [h, queues[1]?.[i]]));
    expect([partial.files.map((f) => f.split('/').pop()), header.slice(0, 11), summary.Queue, summary.Online, summary.Queued, summary['In queue']]).toEqual([
      ['queues.csv', 'routing-profiles.csv', 'agents.csv'],
      ['Queue', 'Online', 'On contact', 'NPT', 'ACW', 'Error', 'Available', 'Staffed', 'In queue', 'Oldest', 'Scheduled'],
      'Summary',
      String(expected.summary.online),
      String(expectedPerf(T - HOURS_2, T, T).summary.contacts_queued),
      '-',
    ]);
  });
});

describe('real-time report at a past instant, from the whole day', () => {
  it('rebuilds the agent counts at T from the timelines', () => {
    const expected = expectedCounts(T);
    expect([whole.report.queues.map(countsOfRow), whole.report.routingProfiles.map(countsOfRow)]).toEqual([partial.report.queues.map(countsOfRow), partial.report.routingProfiles.map(countsOfRow)]);
    expect(whole.report.queues[0]?.counts).toEqual(expected.summary);
  });

  it('gives the trailing performance from the final record versions', () => {
    for (const [queue, perf] of expectedPerf(T - HOURS_2, T, Infinity).byQueue) close(perfOfRow(whole.report.queues.find((r) => r.id === queue)), { ...perf });
  });

  it('gives the agent counts of the raw snapshots at every instant of a sweep across the day', () => {
    const busy = swept.filter((x) => x.summary.online > 0).length;
    expect(busy).toBeGreaterThan(40);
    for (const x of swept) {
      const exp = expectedCounts(x.at);
      expect([new Date(x.at).toISOString(), x.summary]).toEqual([new Date(x.at).toISOString(), exp.summary]);
      for (const [queue, counts] of exp.queues) expect([new Date(x.at).toISOString(), queue, x.queues.get(queue)]).toEqual([new Date(x.at).toISOString(), queue, counts]);
    }
  });

  it('counts an outbound call ringing the customer as on contact', () => {
    const ringing = latestAt(T2).filter((e) => e.CurrentAgentSnapshot.Contacts.some((c) => c.State === 'CONNECTING' && c.InitiationMethod === 'OUTBOUND'));
    expect([ringing.length, wholeLater.report.queues[0]?.counts.onContact]).toEqual([1, expectedCounts(T2).summary.onContact]);
  });

  it('gives midnight-to-now performance and agent counts at a second instant', () => {
    const midnight = Date.parse('2026-03-10T05:00:00Z');
    close(perfOfRow(wholeLater.report.queues[0]), { ...expectedPerf(midnight, T2, Infinity).summary });
    expect(wholeLater.report.queues[0]?.counts).toEqual(expectedCounts(T2).summary);
  });
});

describe('the publisher at T, from the whole day', () => {
  const value = (name: string, dims: Record<string, string>) => published.all().find((p) => p.name === name && JSON.stringify(p.dimensions) === JSON.stringify(dims))?.value;
  const queueNames = new Map([
    ...ctrs.flatMap((c) => (c.Queue ? [[c.Queue.ARN, c.Queue.Name] as const] : [])),
    ...agentEvents.flatMap((e) => e.CurrentAgentSnapshot.Configuration.RoutingProfile.InboundQueues.map((q) => [q.ARN, q.Name] as const)),
  ]);

  it('publishes the agent counts of the raw snapshots per queue', () => {
    for (const [queue, counts] of expectedCounts(T).queues) {
      const name = queueNames.get(queue) ?? queue;
      expect([name, value(AGENT_METRICS.online.name, { Queue: name }), value(AGENT_METRICS.onContact.name, { Queue: name }), value(AGENT_METRICS.afterContactWork.name, { Queue: name }), value(AGENT_METRICS.available.name, { Queue: name })]).toEqual([
        name,
        counts.online,
        counts.onContact,
        counts.acw,
        counts.available,
      ]);
    }
  });

  it('publishes each queue\'s trailing 15-minute average handle time and longest queue time from the final records', () => {
    const exp = expectedPerf(T - 15 * 60_000, T, Infinity).byQueue;
    expect([...exp.values()].filter((p) => p.contacts_handled).length).toBeGreaterThanOrEqual(2);
    for (const [queue, perf] of exp) {
      const name = queueNames.get(queue) ?? queue;
      const got = { avg_handle_time: value(QUEUE_METRICS.averageHandleTime.name, { Queue: name }) ?? null, max_queued_time: value(QUEUE_METRICS.maxQueuedTime.name, { Queue: name }) ?? null };
      close(got, { avg_handle_time: perf.avg_handle_time, max_queued_time: perf.max_queued_time });
    }
  });
});
