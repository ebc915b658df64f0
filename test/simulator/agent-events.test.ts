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
      for (const s of [e.CurrentAgentSnapshot, e.PreviousAgentSnapshot]) {
        v.check(Object.keys(s).join() === 'AgentStatus,Configuration,Contacts', () => `${at}: snapshot keys`);
        v.check(MILLIS_TS.test(s.AgentStatus.StartTimestamp), () => `${at}: status StartTimestamp`);
        const expectedType = { Available: 'ROUTABLE', Offline: 'OFFLINE' }[s.AgentStatus.Name] ?? 'CUSTOM';
        v.check(s.AgentStatus.Type === expectedType, () => `${at}: status Type`);
        const cfg = s.Configuration;
        v.check(Object.keys(cfg.AgentHierarchyGroups).join() === 'Level1,Level2,Level3,Level4,Level5', () => `${at}: hierarchy`);
        v.check(cfg.RoutingProfile.InboundQueues.length >= 3, () => `${at}: InboundQueues`);
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

  it('chains snapshots: every PreviousAgentSnapshot equals the agent’s previous CurrentAgentSnapshot', () => {
    const v = new Violations();
    for (const list of byAgent.values()) {
      for (let i = 1; i < list.length; i++) {
        const e = list[i];
        const before = list[i - 1];
        if (!e || !before) continue;
        v.check(JSON.stringify(e.PreviousAgentSnapshot) === JSON.stringify(before.CurrentAgentSnapshot), () => `${e.AgentARN}@${e.EventTimestamp}`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('sends a heart beat after 120 s without another event while logged in, and only then', () => {
    const v = new Violations();
    let beats = 0;
    for (const list of byAgent.values()) {
      let loggedIn = false;
      let last = 0;
      for (const e of list) {
        const t = ms(e.EventTimestamp);
        const at = (): string => `${e.AgentARN}@${e.EventTimestamp}`;
        if (loggedIn) v.check(t - last <= HEART_BEAT_MS, () => `${at()}: gap ${t - last} ms`);
        else v.check(e.EventType === 'LOGIN', () => `${at()}: ${e.EventType} while logged out`);
        if (e.EventType === 'HEART_BEAT') {
          beats++;
          v.check(t - last === HEART_BEAT_MS, () => `${at()}: heart beat after ${t - last} ms`);
          v.check(JSON.stringify(e.CurrentAgentSnapshot) === JSON.stringify(e.PreviousAgentSnapshot), () => `${at()}: heart beat changed the snapshot`);
        }
        if (e.EventType === 'LOGIN') loggedIn = true;
        if (e.EventType === 'LOGOUT') loggedIn = false;
        last = t;
      }
      if (loggedIn) v.check(endMs - last <= HEART_BEAT_MS, () => `${list[0]?.AgentARN ?? ''}: silent before the end`);
    }
    expect(v.list).toEqual([]);
    expect(beats).toBeGreaterThan(0);
  });

  it('logs in from Offline to Available and logs out to Offline without contacts', () => {
    const v = new Violations();
    let logouts = 0;
    for (const e of events) {
      const at = `${e.AgentARN}@${e.EventTimestamp}`;
      const cur = e.CurrentAgentSnapshot;
      if (e.EventType === 'LOGIN') {
        v.check(e.PreviousAgentSnapshot.AgentStatus.Name === 'Offline', () => `${at}: LOGIN from ${e.PreviousAgentSnapshot.AgentStatus.Name}`);
        v.check(cur.AgentStatus.Name === 'Available' && cur.AgentStatus.StartTimestamp === e.EventTimestamp, () => `${at}: LOGIN status`);
        v.check(cur.Contacts.length === 0, () => `${at}: LOGIN with contacts`);
      }
      if (e.EventType === 'LOGOUT') {
        logouts++;
        v.check(cur.AgentStatus.Name === 'Offline' && cur.AgentStatus.StartTimestamp === e.EventTimestamp, () => `${at}: LOGOUT status`);
        v.check(cur.Contacts.length === 0 && e.PreviousAgentSnapshot.Contacts.length === 0, () => `${at}: LOGOUT with contacts`);
      }
    }
    expect(v.list).toEqual([]);
    expect(logouts).toBeGreaterThan(0);
  });

  it('changes one thing per STATE_CHANGE, with StateStartTimestamp at the change', () => {
    const v = new Violations();
    const seen = new Set<string>();
    for (const e of events) {
      if (e.EventType !== 'STATE_CHANGE') continue;
      const at = `${e.AgentARN}@${e.EventTimestamp}`;
      const prev = e.PreviousAgentSnapshot;
      const cur = e.CurrentAgentSnapshot;
      const p = prev.Contacts[0];
      const c = cur.Contacts[0];
      if (prev.AgentStatus.Name !== cur.AgentStatus.Name) {
        // The simulator changes status only while the agent has no contact (a break waits for ACW to end).
        v.check(cur.AgentStatus.StartTimestamp === e.EventTimestamp, () => `${at}: status StartTimestamp`);
        v.check(!p && !c, () => `${at}: status change with a contact`);
        seen.add('status');
      } else if (!p && c) {
        seen.add(`offer:${c.State}`);
        v.check(c.State === 'INCOMING' || c.State === 'CONNECTING', () => `${at}: offered as ${c.State}`);
        v.check(c.StateStartTimestamp === e.EventTimestamp, () => `${at}: offer StateStartTimestamp`);
      } else if (p && !c) {
        seen.add(`removed:${p.State}`);
        v.check(['ENDED', 'MISSED', 'ERROR'].includes(p.State), () => `${at}: removed from ${p.State}`);
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
    for (const k of ['status', 'offer:CONNECTING', 'offer:INCOMING', 'CONNECTING->MISSED', 'CONNECTING->ERROR', 'INCOMING->CONNECTING', 'CONNECTED_ONHOLD->ENDED', 'removed:ENDED', 'removed:MISSED']) {
      expect(seen).toContain(k);
    }
  });

  it('takes custom statuses (Break, Lunch, Training) during shifts', () => {
    const names = new Set(events.map((e) => e.CurrentAgentSnapshot.AgentStatus.Name));
    expect([...names].sort()).toEqual(['Available', 'Break', 'Lunch', 'Offline', 'Training']);
  });
});
