/**
 * The simulator writes the shapes real Amazon Connect data has, so that every
 * consumer (engine, reports, real-time views) meets them in a generated day:
 * LOGIN/LOGOUT with and without snapshots, AgentStatus.StartTimestamp earlier
 * than the event, heart beats after a logout, agent queues in routing
 * profiles, outbound dials, callbacks into the same queue, transfers made on
 * hold, agents and customers hanging up on hold, API contacts ended with a
 * null DisconnectReason, abandons while ringing, a custom status set during
 * after-contact work and tasks spelled TASKS in agent events and TASK in
 * contact records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentEventJson, CtrJson } from './fixture.js';
import { eventsByAgent, finalCtrs, fixtureRun, ms, parseCtrs, parseEvents } from './fixture.js';

let events: AgentEventJson[];
let byAgent: Map<string, AgentEventJson[]>;
let finals: CtrJson[];
let ctrById: Map<string, CtrJson>;

beforeAll(() => {
  const run = fixtureRun();
  events = parseEvents(run.agentEventLines);
  byAgent = eventsByAgent(events);
  finals = finalCtrs(parseCtrs(run.ctrLines));
  ctrById = new Map(finals.map((c) => [c.ContactId, c]));
});

/** Consecutive events of one agent whose snapshots are both present. */
function pairs(): Array<{ e: AgentEventJson; before: AgentEventJson | undefined }> {
  const out: Array<{ e: AgentEventJson; before: AgentEventJson | undefined }> = [];
  for (const list of byAgent.values()) list.forEach((e, i) => out.push({ e, before: list[i - 1] }));
  return out;
}

describe('a simulated day has every real agent-event shape', () => {
  it('LOGIN and LOGOUT with and without snapshots', () => {
    const count = (type: string, bare: boolean) => events.filter((e) => e.EventType === type && (e.CurrentAgentSnapshot === null) === bare).length;
    expect(count('LOGIN', true)).toBeGreaterThan(0);
    expect(count('LOGIN', false)).toBeGreaterThan(0);
    expect(count('LOGOUT', true)).toBeGreaterThan(0);
    expect(count('LOGOUT', false)).toBeGreaterThan(0);
  });

  it('an AgentStatus.StartTimestamp earlier than the STATE_CHANGE that first shows the status', () => {
    const earlier = events.filter(
      (e) =>
        e.EventType === 'STATE_CHANGE' &&
        e.CurrentAgentSnapshot !== null &&
        e.PreviousAgentSnapshot !== null &&
        e.CurrentAgentSnapshot.AgentStatus.Name !== e.PreviousAgentSnapshot.AgentStatus.Name &&
        ms(e.CurrentAgentSnapshot.AgentStatus.StartTimestamp) < ms(e.EventTimestamp),
    );
    expect(earlier.length).toBeGreaterThan(0);
  });

  it('heart beats after a logout, before the next login', () => {
    let after = 0;
    for (const list of byAgent.values()) {
      let loggedIn = false;
      for (const e of list) {
        if (e.EventType === 'LOGIN') loggedIn = true;
        if (e.EventType === 'LOGOUT') loggedIn = false;
        if (e.EventType === 'HEART_BEAT' && !loggedIn) after++;
      }
    }
    expect(after).toBeGreaterThan(0);
  });

  it("the agent's own queue in every routing profile", () => {
    const withSnapshot = events.filter((e) => e.CurrentAgentSnapshot !== null);
    expect(withSnapshot.length).toBeGreaterThan(0);
    for (const e of withSnapshot) {
      const queues = e.CurrentAgentSnapshot?.Configuration.RoutingProfile.InboundQueues ?? [];
      expect(queues.filter((q) => q.ARN.includes('/queue/agent/') && q.Name === null).map((q) => q.ARN)).toEqual([
        e.AgentARN.replace(/\/agent\/([^/]+)$/, '/queue/agent/$1'),
      ]);
    }
  });

  it('outbound dials ringing the customer, then answered', () => {
    const dials = events.filter((e) => e.CurrentAgentSnapshot?.Contacts[0]?.InitiationMethod === 'OUTBOUND' && e.CurrentAgentSnapshot.Contacts[0].State === 'CONNECTING');
    expect(dials.length).toBeGreaterThan(0);
    expect(finals.some((c) => c.InitiationMethod === 'OUTBOUND' && c.Agent !== null)).toBe(true);
  });

  it('callbacks queued back into the queue the customer waited in', () => {
    const same = finals.filter((c) => c.InitiationMethod === 'CALLBACK' && c.Queue !== null && ctrById.get(c.PreviousContactId ?? '')?.Queue?.ARN === c.Queue.ARN);
    expect(same.length).toBeGreaterThan(0);
  });

  it('transfers made while the customer is on hold', () => {
    const onHold = pairs().filter(({ e }) => {
      const p = e.PreviousAgentSnapshot?.Contacts[0];
      const c = e.CurrentAgentSnapshot?.Contacts[0];
      if (p?.State !== 'CONNECTED_ONHOLD' || c?.State !== 'ENDED') return false;
      const next = ctrById.get(ctrById.get(c.ContactId)?.NextContactId ?? '');
      return next?.InitiationMethod === 'TRANSFER';
    });
    expect(onHold.length).toBeGreaterThan(0);
  });

  it('hold disconnects by the agent and by the customer: ended on hold, not transferred', () => {
    const reasons = new Set<string | null>();
    for (const { e } of pairs()) {
      const p = e.PreviousAgentSnapshot?.Contacts[0];
      const c = e.CurrentAgentSnapshot?.Contacts[0];
      if (p?.State !== 'CONNECTED_ONHOLD' || c?.State !== 'ENDED') continue;
      const r = ctrById.get(c.ContactId);
      if (r && r.NextContactId === null && r.TransferredToEndpoint === null) reasons.add(r.DisconnectReason);
    }
    expect([...reasons].sort()).toEqual(['AGENT_DISCONNECT', 'CUSTOMER_DISCONNECT']);
  });

  it('API contacts nobody answered, ended by the API with a null DisconnectReason', () => {
    const ended = finals.filter((c) => c.InitiationMethod === 'API' && c.DisconnectReason === null);
    expect(ended.length).toBeGreaterThan(0);
    for (const c of ended) expect([c.Agent, c.Queue?.EnqueueTimestamp === null]).toEqual([null, false]);
  });

  it('customers hanging up while the offer rings: the contact leaves the snapshot still CONNECTING, its record an abandon', () => {
    const abandoned = pairs().filter(({ e }) => {
      const p = e.PreviousAgentSnapshot?.Contacts[0];
      if (e.EventType !== 'STATE_CHANGE' || p?.State !== 'CONNECTING' || (e.CurrentAgentSnapshot?.Contacts.length ?? 0) > 0) return false;
      const r = ctrById.get(p.ContactId);
      return r !== undefined && r.Agent === null && r.DisconnectReason === 'CUSTOMER_DISCONNECT' && r.NextContactId === null && r.AgentConnectionAttempts > 0;
    });
    expect(abandoned.length).toBeGreaterThan(0);
  });

  it('a custom status chosen during after-contact work', () => {
    const inAcw = events.filter(
      (e) =>
        e.EventType === 'STATE_CHANGE' &&
        e.CurrentAgentSnapshot?.AgentStatus.Type === 'CUSTOM' &&
        e.PreviousAgentSnapshot?.AgentStatus.Type === 'ROUTABLE' &&
        e.CurrentAgentSnapshot.Contacts[0]?.State === 'ENDED',
    );
    expect(inAcw.length).toBeGreaterThan(0);
  });

  it('tasks: TASKS in agent events, TASK in contact records, no media stream', () => {
    const taskIds = new Set(events.flatMap((e) => (e.CurrentAgentSnapshot?.Contacts ?? []).filter((c) => c.Channel === 'TASKS').map((c) => c.ContactId)));
    expect(taskIds.size).toBeGreaterThan(0);
    expect(events.some((e) => e.CurrentAgentSnapshot?.Contacts.some((c) => c.Channel === 'TASK'))).toBe(false);
    const tasks = finals.filter((c) => c.Channel === 'TASK');
    expect(tasks.length).toBeGreaterThan(0);
    for (const c of tasks) {
      expect(c.MediaStreams).toEqual([]);
      expect(c.InitiationMethod).toBe('API');
    }
    expect([...taskIds].filter((id) => ctrById.get(id)?.Channel === 'TASK').length).toBeGreaterThan(0);
  });
});
