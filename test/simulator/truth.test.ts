import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_METRICS, zeroWhenRowExists } from '../../lambdas/domain/metrics/registry.js';
import { TRUTH_METRIC_IDS } from '../../cli/simulator/index.js';
import type { MetricValues, Truth, TruthGrouping } from '../../cli/simulator/index.js';
import type { AgentEventJson, CtrJson } from './fixture.js';
import { INTERVAL, Violations, eventsByAgent, finalCtrs, fixtureRun, intervalStart, ms, parseCtrs, parseEvents } from './fixture.js';

const GROUPINGS: readonly TruthGrouping[] = ['QUEUE', 'AGENT', 'ROUTING_PROFILE'];
const CTR_METRIC_IDS = SUPPORTED_METRICS.filter((m) => m.category === 'contact-record-driven').map((m) => m.id);
/** Totals of contacts, 0 in every row (one rule for count columns across rows). */
const TOTALS = new Set(SUPPORTED_METRICS.filter((m) => zeroWhenRowExists(m)).map((m) => m.id));

let truth: Truth;
let finals: CtrJson[];
let events: AgentEventJson[];
let byAgent: Map<string, AgentEventJson[]>;

beforeAll(() => {
  const run = fixtureRun();
  truth = run.truth;
  finals = finalCtrs(parseCtrs(run.ctrLines));
  events = parseEvents(run.agentEventLines);
  byAgent = eventsByAgent(events);
});

/** Adds `v` to a (interval start → key → number) table. */
function bump(table: Map<number, Map<string, number>>, t: number, key: string, v = 1): void {
  let row = table.get(t);
  if (!row) {
    row = new Map();
    table.set(t, row);
  }
  row.set(key, (row.get(key) ?? 0) + v);
}

function splitByInterval(from: number, to: number, f: (start: number, ms: number) => void): void {
  for (let t = from; t < to; ) {
    const end = Math.min(to, intervalStart(t) + INTERVAL);
    f(intervalStart(t), end - t);
    t = end;
  }
}

function rows(g: TruthGrouping): { start: number; arn: string; values: MetricValues }[] {
  return truth.intervals.flatMap((iv) => Object.entries(iv.groups[g]).map(([arn, values]) => ({ start: ms(iv.start), arn, values })));
}

const num = (v: number | null | undefined): number => v ?? 0;

describe('truth.json', () => {
  it('lists every 15-minute UTC interval of the window', () => {
    const first = intervalStart(ms(truth.start));
    const starts = truth.intervals.map((iv) => ms(iv.start));
    expect(starts[0]).toBe(first);
    expect(starts.length).toBe(Math.ceil((ms(truth.end) - first) / INTERVAL));
    starts.forEach((s, i) => expect(s).toBe(first + i * INTERVAL));
  });

  it('gives every row exactly the metrics its grouping allows', () => {
    for (const g of GROUPINGS) {
      const expected = SUPPORTED_METRICS.filter((m) => m.groupableBy.includes(g)).map((m) => m.id);
      expect(TRUTH_METRIC_IDS[g]).toEqual(expected);
    }
    expect(TRUTH_METRIC_IDS.QUEUE).not.toContain('online_time');
    expect(TRUTH_METRIC_IDS.QUEUE).not.toContain('occupancy');
    const v = new Violations();
    for (const g of GROUPINGS) {
      for (const r of rows(g)) {
        v.check(Object.keys(r.values).join() === TRUTH_METRIC_IDS[g].join(), () => `${g} ${r.arn}: metric ids`);
        for (const [id, x] of Object.entries(r.values)) v.check(x === null || Number.isFinite(x), () => `${g} ${id}: ${String(x)}`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('counts contact records in the interval of their disconnect, by queue, agent and routing profile', () => {
    const handledByInterval = new Map<number, Map<string, number>>();
    const queued = new Map<number, Map<string, number>>();
    const abandoned = new Map<number, Map<string, number>>();
    const records = new Map<number, Map<string, number>>();
    for (const c of finals) {
      const t = intervalStart(ms(c.DisconnectTimestamp));
      if (c.Queue) bump(records, t, c.Queue.ARN);
      if (c.Agent) {
        bump(handledByInterval, t, 'all');
        bump(handledByInterval, t, c.Agent.ARN);
        bump(records, t, c.Agent.ARN);
      }
      if (c.Queue?.EnqueueTimestamp) {
        bump(queued, t, c.Queue.ARN);
        if (!c.Agent && !c.NextContactId && c.DisconnectReason === 'CUSTOMER_DISCONNECT') bump(abandoned, t, c.Queue.ARN);
      }
    }
    for (const iv of truth.intervals) {
      const t = ms(iv.start);
      const expectedHandled = handledByInterval.get(t)?.get('all') ?? 0;
      const sumOver = (g: TruthGrouping): number => Object.values(iv.groups[g]).reduce((s, m) => s + num(m.contacts_handled), 0);
      expect(sumOver('QUEUE')).toBe(expectedHandled);
      expect(sumOver('AGENT')).toBe(expectedHandled);
      expect(sumOver('ROUTING_PROFILE')).toBe(expectedHandled);
      for (const [arn, m] of Object.entries(iv.groups.QUEUE)) {
        const hasRecords = (records.get(t)?.get(arn) ?? 0) > 0;
        // Contact-record metrics are null exactly when no record is attributed to the row, except totals of contacts: 0 in every row.
        const ctrValues = CTR_METRIC_IDS.filter((id) => !TOTALS.has(id)).map((id) => m[id]);
        expect(ctrValues.every((x) => x === null)).toBe(!hasRecords);
        expect([...TOTALS].filter((id) => id in m && m[id] === null)).toEqual([]);
        if (!hasRecords) continue;
        expect(m.contacts_queued).toBe(queued.get(t)?.get(arn) ?? 0);
        expect(m.contacts_abandoned).toBe(abandoned.get(t)?.get(arn) ?? 0);
        expect(m.avg_queue_abandon_time === null).toBe(m.contacts_abandoned === 0);
        expect(m.max_queued_time === null).toBe(m.contacts_queued === 0);
      }
      for (const [arn, m] of Object.entries(iv.groups.AGENT)) {
        expect(m.contacts_handled).toBe(handledByInterval.get(t)?.get(arn) ?? 0);
      }
    }
  });

  it('derives online, idle, on-contact, NPT and error time exactly from the agent events', () => {
    // An agent's state holds from one of its events to the next; time is split by wall clock.
    const kinds = ['online_time', 'agent_idle_time', 'agent_on_contact_time', 'non_productive_time', 'error_status_time'] as const;
    const derived = new Map<number, Map<string, number>>();
    for (const [arn, list] of byAgent) {
      for (let i = 0; i + 1 < list.length; i++) {
        const e = list[i];
        const next = list[i + 1];
        if (!e || !next || e.EventType === 'LOGOUT') continue;
        const s = e.CurrentAgentSnapshot;
        const type = s.AgentStatus.Type;
        const st = s.Contacts[0]?.State ?? null;
        const error = st === 'MISSED' || st === 'ERROR' || st === 'REJECTED';
        const flags: Record<(typeof kinds)[number], boolean> = {
          online_time: type !== 'OFFLINE',
          agent_idle_time: type === 'ROUTABLE' && (st === null || error),
          agent_on_contact_time: type === 'ROUTABLE' && (st === 'CONNECTED' || st === 'CONNECTED_ONHOLD' || st === 'ENDED'),
          non_productive_time: type === 'CUSTOM',
          error_status_time: error,
        };
        splitByInterval(ms(e.EventTimestamp), ms(next.EventTimestamp), (t, d) => {
          for (const k of kinds) if (flags[k]) bump(derived, t, `${arn}|${k}`, d);
        });
      }
    }
    const v = new Violations();
    let checked = 0;
    for (const iv of truth.intervals) {
      const t = ms(iv.start);
      for (const [arn] of byAgent) {
        const m = iv.groups.AGENT[arn];
        const d = (k: string): number => derived.get(t)?.get(`${arn}|${k}`) ?? 0;
        if (d('online_time') === 0) {
          v.check((m?.online_time ?? null) === null, () => `${iv.start} ${arn}: online time without events`);
          continue;
        }
        checked++;
        for (const k of kinds) v.check(m?.[k] === d(k) / 1000, () => `${iv.start} ${arn}: ${k} ${String(m?.[k])} != ${d(k) / 1000}`);
        const on = d('agent_on_contact_time');
        const idle = d('agent_idle_time');
        v.check(m?.occupancy === (on + idle === 0 ? null : (on / (on + idle)) * 100), () => `${iv.start} ${arn}: occupancy`);
      }
    }
    expect(v.list).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('sums an agent’s online time over intervals to its logged-in time', () => {
    const online = new Map<string, number>();
    for (const r of rows('AGENT')) online.set(r.arn, (online.get(r.arn) ?? 0) + num(r.values.online_time) * 1000);
    const loggedIn = new Map<string, number>();
    for (const s of truth.sessions) {
      // An open session is known up to the agent's last event (time after it is not yet reported).
      const list = byAgent.get(s.agentArn) ?? [];
      const lastEvent = ms(list[list.length - 1]?.EventTimestamp ?? truth.end);
      loggedIn.set(s.agentArn, (loggedIn.get(s.agentArn) ?? 0) + (s.logoutMs ?? lastEvent) - s.loginMs);
    }
    expect(online.size).toBe(loggedIn.size);
    for (const [arn, t] of loggedIn) expect(online.get(arn)).toBeCloseTo(t, 3);
    expect(truth.sessions.some((s) => s.logoutMs === null)).toBe(true);
  });

  it('lists one session per LOGIN, closed by the matching LOGOUT', () => {
    const fromEvents: { agentArn: string; loginMs: number; logoutMs: number | null }[] = [];
    for (const e of events) {
      if (e.EventType === 'LOGIN') fromEvents.push({ agentArn: e.AgentARN, loginMs: ms(e.EventTimestamp), logoutMs: null });
      if (e.EventType === 'LOGOUT') {
        const open = fromEvents.find((s) => s.agentArn === e.AgentARN && s.logoutMs === null);
        if (open) open.logoutMs = ms(e.EventTimestamp);
      }
    }
    expect(truth.sessions.map((s) => ({ agentArn: s.agentArn, loginMs: s.loginMs, logoutMs: s.logoutMs }))).toEqual(fromEvents);
  });

  it('counts missed contacts and ACW from contact state changes in agent events', () => {
    const missed = new Map<number, Map<string, number>>();
    const acwMs = new Map<number, Map<string, number>>();
    const acwCount = new Map<number, Map<string, number>>();
    for (const e of events) {
      const p = e.PreviousAgentSnapshot.Contacts[0];
      const c = e.CurrentAgentSnapshot.Contacts[0];
      const t = ms(e.EventTimestamp);
      if (c?.State === 'MISSED' && p?.State !== 'MISSED') bump(missed, intervalStart(t), e.AgentARN);
      if (p?.State === 'ENDED' && !c) {
        splitByInterval(ms(p.StateStartTimestamp), t, (s, d) => bump(acwMs, s, e.AgentARN, d));
        bump(acwCount, intervalStart(t), e.AgentARN);
      }
    }
    let withAcw = 0;
    for (const r of rows('AGENT')) {
      if (r.values.contacts_missed === null) continue;
      expect(r.values.contacts_missed).toBe(missed.get(r.start)?.get(r.arn) ?? 0);
      const n = acwCount.get(r.start)?.get(r.arn) ?? 0;
      const expected = n === 0 ? null : (acwMs.get(r.start)?.get(r.arn) ?? 0) / n / 1000;
      expect(r.values.avg_acw_agent_events).toBe(expected);
      if (expected !== null) withAcw++;
    }
    expect(withAcw).toBeGreaterThan(100);
  });

  it('keeps service levels and occupancy within 0–100 and status times within online time', () => {
    const v = new Violations();
    for (const g of GROUPINGS) {
      for (const r of rows(g)) {
        const m = r.values;
        for (const [id, x] of Object.entries(m)) {
          if (x === null) continue;
          // Not agent_answer_rate: an offer late in one interval answered early in the next counts as
          // routed in the first and answered in the second, so one interval can exceed 100 %.
          if (id.startsWith('service_level_') || id === 'occupancy') v.check(x >= 0 && x <= 100, () => `${g} ${id}=${x}`);
          else v.check(x >= 0, () => `${g} ${id}=${x} < 0`);
        }
        if (m.online_time !== null && m.online_time !== undefined) {
          const parts = num(m.agent_idle_time) + num(m.agent_on_contact_time) + num(m.non_productive_time);
          v.check(parts <= m.online_time + 1e-6, () => `${g} ${r.arn}: idle + on contact + NPT > online`);
          v.check(num(m.error_status_time) <= m.online_time + 1e-6, () => `${g} ${r.arn}: error > online`);
        }
        const sl = [15, 20, 25, 30, 45, 60, 90, 120, 180, 240, 300, 600].map((x) => m[`service_level_${x}`]);
        for (let i = 1; i < sl.length; i++) v.check(num(sl[i]) >= num(sl[i - 1]), () => `${g} ${r.arn}: service level not monotone`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('fills every kind of metric somewhere in a day', () => {
    const seen = new Set<string>();
    for (const g of GROUPINGS) for (const r of rows(g)) for (const [id, x] of Object.entries(r.values)) if (x !== null && x !== 0) seen.add(id);
    const never = SUPPORTED_METRICS.map((m) => m.id).filter((id) => !seen.has(id));
    expect(never).toEqual([]);
  });
});
