import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentEventJson } from './fixture.js';
import { Violations, eventsByAgent, fixtureRun, ms, parseEvents } from './fixture.js';

const MILLIS_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEART_BEAT_MS = 120_000;

let events: AgentEventJson[];
let byAgent: Map<string, AgentEventJson[]>;
let endMs: number;

beforeAll(() => {
  const run = fixtureRun();
  events = parseEvents(run.agentEventLines);
  byAgent = eventsByAgent(events);
  endMs = ms(run.truth.end);
});

/** Contact state changes allowed between consecutive snapshots of one agent. */
const TRANSITIONS: Record<string, readonly string[]> = {
  INCOMING: ['CONNECTING', 'MISSED', 'ERROR'],
  CONNECTING: ['CONNECTED', 'MISSED', 'ERROR'],
  CONNECTED: ['CONNECTED_ONHOLD', 'ENDED'],
  CONNECTED_ONHOLD: ['CONNECTED', 'ENDED'],
};

describe('agent-events.jsonl format', () => {
  it('writes every documented field', () => {
    const v = new Violations();
    const ids = new Set<string>();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const keys = 'AWSAccountId,AgentARN,CurrentAgentSnapshot,EventId,EventTimestamp,EventType,InstanceARN,PreviousAgentSnapshot,Version';
    for (const e of events) {
      const at = `${e.AgentARN.slice(-8)}@${e.EventTimestamp}`;
      v.check(Object.keys(e).join() === keys, () => `${at}: keys`);
      v.check(e.Version === '2017-10-01', () => `${at}: Version`);
      v.check(MILLIS_TS.test(e.EventTimestamp), () => `${at}: EventTimestamp`);
      v.check(uuid.test(e.EventId), () => `${at}: EventId`);
      ids.add(e.EventId);
      // Connect often publishes LOGIN and LOGOUT without snapshots: then neither is there.
      const bare = e.CurrentAgentSnapshot === null || e.PreviousAgentSnapshot === null;
      v.check(!bare || (e.CurrentAgentSnapshot === null && e.PreviousAgentSnapshot === null), () => `${at}: one snapshot only`);
      v.check(!bare || e.EventType === 'LOGIN' || e.EventType === 'LOGOUT', () => `${at}: ${e.EventType} without snapshots`);
      for (const s of [e.CurrentAgentSnapshot, e.PreviousAgentSnapshot]) {
        if (s === null) continue;
        v.check(Object.keys(s).join() === 'AgentStatus,Configuration,Contacts', () => `${at}: snapshot keys`);
        v.check(MILLIS_TS.test(s.AgentStatus.StartTimestamp), () => `${at}: status StartTimestamp`);
        const expectedType = { Available: 'ROUTABLE', Offline: 'OFFLINE' }[s.AgentStatus.Name] ?? 'CUSTOM';
        v.check(s.AgentStatus.Type === expectedType, () => `${at}: status Type`);
        const cfg = s.Configuration;
        v.check(Object.keys(cfg.AgentHierarchyGroups).join() === 'Level1,Level2,Level3,Level4,Level5', () => `${at}: hierarchy`);
        v.check(cfg.RoutingProfile.InboundQueues.length >= 4, () => `${at}: InboundQueues`);
        // The agent's own queue, with no name, as in Connect's sample agent event stream.
        const own = cfg.RoutingProfile.InboundQueues[0];
        v.check(own?.ARN === `${e.InstanceARN}/queue/agent/${e.AgentARN.slice(e.AgentARN.lastIndexOf('/') + 1)}` && own.Name === null, () => `${at}: agent queue`);
        v.check(cfg.RoutingProfile.DefaultOutboundQueue.Name === 'Outbound', () => `${at}: DefaultOutboundQueue`);
        v.check(cfg.Username.length > 0 && cfg.FirstName.length > 0 && cfg.LastName.length > 0, () => `${at}: names`);
        v.check(s.Contacts.length <= 1, () => `${at}: more than one contact`);
        for (const c of s.Contacts) {
          v.check(MILLIS_TS.test(c.StateStartTimestamp), () => `${at}: StateStartTimestamp`);
          v.check(c.Queue.ARN.length > 0 && c.Queue.Name.length > 0, () => `${at}: contact Queue`);
        }
      }
    }
    expect(v.list).toEqual([]);
    expect(ids.size).toBe(events.length);
  });

  it('is sorted by EventTimestamp', () => {
    for (let i = 1; i < events.length; i++) {
      const prev = events[i - 1];
      const cur = events[i];
      if (!prev || !cur) continue;
      expect(ms(cur.EventTimestamp)).toBeGreaterThanOrEqual(ms(prev.EventTimestamp));
    }
  });

  it('gives each agent strictly increasing event times', () => {
    for (const list of byAgent.values()) {
      for (let i = 1; i < list.length; i++) {
        expect(ms(list[i]?.EventTimestamp ?? '')).toBeGreaterThan(ms(list[i - 1]?.EventTimestamp ?? ''));
      }
    }
  });

  it('chains snapshots: every PreviousAgentSnapshot equals the agent’s previous CurrentAgentSnapshot (when both events carry them)', () => {
    const v = new Violations();
    for (const list of byAgent.values()) {
      for (let i = 1; i < list.length; i++) {
        const e = list[i];
        const before = list[i - 1];
        if (!e || !before || !e.PreviousAgentSnapshot || !before.CurrentAgentSnapshot) continue;
        v.check(JSON.stringify(e.PreviousAgentSnapshot) === JSON.stringify(before.CurrentAgentSnapshot), () => `${e.AgentARN}@${e.EventTimestamp}`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('sends a heart beat after 120 s without another event while logged in, and for up to an hour after a logout', () => {
    const v = new Violations();
    let beats = 0;
    let afterLogout = 0;
    for (const list of byAgent.values()) {
      let loggedIn = false;
      let last = 0;
      let logoutMs: number | null = null;
      for (const e of list) {
        const t = ms(e.EventTimestamp);
        const at = (): string => `${e.AgentARN}@${e.EventTimestamp}`;
        if (loggedIn) v.check(t - last <= HEART_BEAT_MS, () => `${at()}: gap ${t - last} ms`);
        else v.check(e.EventType === 'LOGIN' || e.EventType === 'HEART_BEAT', () => `${at()}: ${e.EventType} while logged out`);
        if (e.EventType === 'HEART_BEAT') {
          beats++;
          v.check(t - last === HEART_BEAT_MS, () => `${at()}: heart beat after ${t - last} ms`);
          v.check(JSON.stringify(e.CurrentAgentSnapshot) === JSON.stringify(e.PreviousAgentSnapshot), () => `${at()}: heart beat changed the snapshot`);
          if (!loggedIn) {
            afterLogout++;
            v.check(logoutMs !== null && t - logoutMs <= 3_600_000, () => `${at()}: heart beat long after the logout`);
            v.check(e.CurrentAgentSnapshot?.AgentStatus.Name === 'Offline' && e.CurrentAgentSnapshot.Contacts.length === 0, () => `${at()}: heart beat after logout not Offline`);
          }
        }
        if (e.EventType === 'LOGIN') loggedIn = true;
        if (e.EventType === 'LOGOUT') {
          loggedIn = false;
          logoutMs = t;
        }
        last = t;
      }
      if (loggedIn) v.check(endMs - last <= HEART_BEAT_MS, () => `${list[0]?.AgentARN ?? ''}: silent before the end`);
    }
    expect(v.list).toEqual([]);
    expect(beats).toBeGreaterThan(0);
    expect(afterLogout).toBeGreaterThan(0);
  });

  it('logs in from Offline to Available and logs out to Offline without contacts, with or without snapshots', () => {
    const v = new Violations();
    let logouts = 0;
    const bare = { LOGIN: 0, LOGOUT: 0 };
    for (const list of byAgent.values()) {
      list.forEach((e, i) => {
        if ((e.EventType !== 'LOGIN' && e.EventType !== 'LOGOUT') || e.CurrentAgentSnapshot !== null) return;
        bare[e.EventType]++;
        if (e.EventType !== 'LOGIN') return;
        // The status follows in a STATE_CHANGE a moment later, from Offline, with StartTimestamp at the login.
        const next = list[i + 1];
        const at = `${e.AgentARN}@${e.EventTimestamp}`;
        if (!next) return;
        v.check(next.EventType === 'STATE_CHANGE' && ms(next.EventTimestamp) - ms(e.EventTimestamp) < 1000, () => `${at}: no status after the LOGIN`);
        v.check(next.PreviousAgentSnapshot?.AgentStatus.Name === 'Offline', () => `${at}: status after LOGIN not from Offline`);
        v.check(
          next.CurrentAgentSnapshot?.AgentStatus.Name === 'Available' && next.CurrentAgentSnapshot.AgentStatus.StartTimestamp === e.EventTimestamp,
          () => `${at}: status after LOGIN`,
        );
      });
    }
    for (const e of events) {
      const at = `${e.AgentARN}@${e.EventTimestamp}`;
      const cur = e.CurrentAgentSnapshot;
      if (e.EventType === 'LOGOUT') logouts++;
      const prev = e.PreviousAgentSnapshot;
      if (cur === null || prev === null) continue;
      if (e.EventType === 'LOGIN') {
        v.check(prev.AgentStatus.Name === 'Offline', () => `${at}: LOGIN from ${prev.AgentStatus.Name}`);
        v.check(cur.AgentStatus.Name === 'Available' && cur.AgentStatus.StartTimestamp === e.EventTimestamp, () => `${at}: LOGIN status`);
        v.check(cur.Contacts.length === 0, () => `${at}: LOGIN with contacts`);
      }
      if (e.EventType === 'LOGOUT') {
        v.check(cur.AgentStatus.Name === 'Offline' && cur.AgentStatus.StartTimestamp === e.EventTimestamp, () => `${at}: LOGOUT status`);
        v.check(cur.Contacts.length === 0 && prev.Contacts.length === 0, () => `${at}: LOGOUT with contacts`);
      }
    }
    expect(v.list).toEqual([]);
    expect(logouts).toBeGreaterThan(0);
    // Some, not all: real data has both.
    expect(bare.LOGIN).toBeGreaterThan(0);
    expect(bare.LOGOUT).toBeGreaterThan(0);
    expect(bare.LOGOUT).toBeLessThan(logouts);
    expect(bare.LOGIN).toBeLessThan(events.filter((e) => e.EventType === 'LOGIN').length);
  });

  it('changes one thing per STATE_CHANGE, with StateStartTimestamp at the change', () => {
    const v = new Violations();
    const seen = new Set<string>();
    const bareLogins = new Set(events.filter((e) => e.EventType === 'LOGIN' && e.CurrentAgentSnapshot === null).map((e) => `${e.AgentARN}@${e.EventTimestamp}`));
    for (const e of events) {
      if (e.EventType !== 'STATE_CHANGE') continue;
      const at = `${e.AgentARN}@${e.EventTimestamp}`;
      const prev = e.PreviousAgentSnapshot;
      const cur = e.CurrentAgentSnapshot;
      if (!prev || !cur) {
        v.check(false, () => `${at}: STATE_CHANGE without snapshots`);
        continue;
      }
      const p = prev.Contacts[0];
      const c = cur.Contacts[0];
      if (prev.AgentStatus.Name !== cur.AgentStatus.Name) {
        const since = cur.AgentStatus.StartTimestamp;
        if (since === e.EventTimestamp) seen.add('status');
        else {
          // The status published after a LOGIN without snapshots began at the login.
          v.check(bareLogins.has(`${e.AgentARN}@${since}`), () => `${at}: status StartTimestamp ${since}`);
          seen.add('status-started-before-event');
        }
        if (p || c) {
          // A custom status chosen during after-contact work: the contact stays in ACW, unchanged.
          v.check(!!p && !!c && p.State === 'ENDED' && JSON.stringify(p) === JSON.stringify(c) && cur.AgentStatus.Type === 'CUSTOM', () => `${at}: status change with a contact`);
          seen.add('custom-status-in-acw');
        }
      } else if (!p && c) {
        seen.add(`offer:${c.State}`);
        v.check(c.State === 'INCOMING' || c.State === 'CONNECTING', () => `${at}: offered as ${c.State}`);
        v.check(c.StateStartTimestamp === e.EventTimestamp, () => `${at}: offer StateStartTimestamp`);
      } else if (p && !c) {
        seen.add(`removed:${p.State}`);
        // CONNECTING: the customer hung up while the offer was ringing.
        v.check(['ENDED', 'MISSED', 'ERROR', 'CONNECTING'].includes(p.State), () => `${at}: removed from ${p.State}`);
      } else if (p && c) {
        seen.add(`${p.State}->${c.State}`);
        v.check(c.ContactId === p.ContactId, () => `${at}: contact replaced`);
        v.check((TRANSITIONS[p.State] ?? []).includes(c.State), () => `${at}: ${p.State} -> ${c.State}`);
        v.check(c.StateStartTimestamp === e.EventTimestamp, () => `${at}: StateStartTimestamp`);
        const answered = c.State === 'CONNECTED' && p.State !== 'CONNECTED_ONHOLD';
        v.check(!answered || c.ConnectedToAgentTimestamp === e.EventTimestamp, () => `${at}: ConnectedToAgentTimestamp`);
        v.check(c.State !== 'MISSED' || cur.AgentStatus.Name === 'Available', () => `${at}: missed while not Available`);
      } else {
        v.check(false, () => `${at}: STATE_CHANGE without a change`);
      }
    }
    expect(v.list).toEqual([]);
    for (const k of [
      'status',
      'status-started-before-event',
      'custom-status-in-acw',
      'offer:CONNECTING',
      'offer:INCOMING',
      'CONNECTING->MISSED',
      'CONNECTING->ERROR',
      'INCOMING->CONNECTING',
      'CONNECTED_ONHOLD->ENDED',
      'removed:ENDED',
      'removed:MISSED',
      'removed:CONNECTING',
    ]) {
      expect(seen).toContain(k);
    }
  });

  it('takes custom statuses (Break, Lunch, Training) during shifts', () => {
    const names = new Set(events.flatMap((e) => (e.CurrentAgentSnapshot ? [e.CurrentAgentSnapshot.AgentStatus.Name] : [])));
    expect([...names].sort()).toEqual(['Available', 'Break', 'Lunch', 'Offline', 'Training']);
  });
});
