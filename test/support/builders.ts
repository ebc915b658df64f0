/**
 * Builders for normalized CTRs and agent events, so engine tests can state a
 * contact's timeline in a line and compute the expected metrics by hand.
 */
import type { AgentContact, AgentEvent, AgentSnapshot, Ctr, EntityRef, HierarchyLevels } from '../../lambdas/domain/model/types.js';

export const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
export const ms = (iso: string): number => Date.parse(iso);
export const ref = (kind: string, name: string): EntityRef => ({ id: `${ARN}/${kind}/${name}`, arn: `${ARN}/${kind}/${name}`, name });
export const queueRef = (name: string): EntityRef => ref('queue', name);
export const agentArn = (name: string): string => `${ARN}/agent/${name}`;

const noHierarchy: HierarchyLevels = { level1: null, level2: null, level3: null, level4: null, level5: null };
export const hierarchy = (...names: string[]): HierarchyLevels => ({
  level1: names[0] ? ref('agent-group', names[0]) : null,
  level2: names[1] ? ref('agent-group', names[1]) : null,
  level3: names[2] ? ref('agent-group', names[2]) : null,
  level4: names[3] ? ref('agent-group', names[3]) : null,
  level5: names[4] ? ref('agent-group', names[4]) : null,
});

export interface CtrSpec {
  id: string;
  method?: string;
  channel?: string;
  initiated?: string;
  disconnect: string;
  updated?: string;
  reason?: string | null;
  next?: string;
  transferredTo?: string;
  phone?: string;
  queue?: { name: string; enqueue?: string; waitSec?: number };
  agent?: { name: string; connected: string; talk: number; hold?: number; holds?: number; acw?: number; profile?: string; hierarchy?: HierarchyLevels };
}

export function ctr(s: CtrSpec): Ctr {
  const enq = s.queue?.enqueue ? ms(s.queue.enqueue) : null;
  const wait = s.queue?.waitSec ?? null;
  return {
    contactId: s.id,
    initialContactId: null,
    previousContactId: null,
    nextContactId: s.next ?? null,
    instanceArn: ARN,
    channel: s.channel ?? 'VOICE',
    initiationMethod: s.method ?? 'INBOUND',
    initiationMs: ms(s.initiated ?? s.queue?.enqueue ?? s.disconnect),
    connectedToSystemMs: null,
    disconnectMs: ms(s.disconnect),
    lastUpdateMs: ms(s.updated ?? s.disconnect),
    disconnectReason: s.reason === undefined ? 'CUSTOMER_DISCONNECT' : s.reason,
    // `reason: null` models a record from before DisconnectReason existed (no key at all).
    disconnectReasonPresent: s.reason !== null,
    agentConnectionAttempts: null,
    queue: s.queue
      ? {
          ref: queueRef(s.queue.name),
          enqueueMs: enq,
          dequeueMs: enq !== null && wait !== null ? enq + wait * 1000 : null,
          durationSec: enq !== null ? wait : null,
        }
      : null,
    agent: s.agent
      ? {
          ref: { id: agentArn(s.agent.name), arn: agentArn(s.agent.name), name: null },
          username: s.agent.name,
          routingProfile: ref('routing-profile', s.agent.profile ?? 'Basic'),
          hierarchy: s.agent.hierarchy ?? noHierarchy,
          connectedToAgentMs: ms(s.agent.connected),
          agentInteractionDurationSec: s.agent.talk,
          customerHoldDurationSec: s.agent.hold ?? 0,
          afterContactWorkDurationSec: s.agent.acw ?? 0,
          afterContactWorkStartMs: null,
          afterContactWorkEndMs: null,
          numberOfHolds: s.agent.holds ?? (s.agent.hold ? 1 : 0),
          longestHoldDurationSec: s.agent.hold ?? 0,
        }
      : null,
    systemPhoneNumber: s.phone ?? '+18005550100',
    customerPhoneNumber: '+12065550199',
    transferredToEndpoint: s.transferredTo ?? null,
    transferCompletedMs: null,
  };
}

export interface ContactSpec {
  id: string;
  state: string;
  since: string;
  method?: string;
  queue?: string;
  channel?: string;
}

export function contact(c: ContactSpec): AgentContact {
  return {
    contactId: c.id,
    initialContactId: null,
    channel: c.channel ?? 'VOICE',
    initiationMethod: c.method ?? 'INBOUND',
    state: c.state,
    stateStartMs: ms(c.since),
    connectedToAgentMs: null,
    queueMs: null,
    queue: queueRef(c.queue ?? 'BasicQueue'),
  };
}

const STATUS_TYPES: Record<string, string> = { Available: 'ROUTABLE', Offline: 'OFFLINE' };

export function snapshot(status: string, contacts: AgentContact[] = [], profile = 'Basic', h: HierarchyLevels = noHierarchy): AgentSnapshot {
  return {
    status: { ref: ref('agent-state', status), type: STATUS_TYPES[status] ?? 'CUSTOM', startMs: null },
    configuration: {
      username: 'alice',
      firstName: 'Alice',
      lastName: 'Liddell',
      routingProfile: ref('routing-profile', profile),
      inboundQueues: [queueRef('BasicQueue')],
      hierarchy: h,
    },
    contacts,
  };
}

let nextId = 0;
export function agentEvent(type: string, at: string, current: AgentSnapshot | null, previous: AgentSnapshot | null, agent = 'alice'): AgentEvent {
  return {
    eventId: `evt-${++nextId}`,
    eventType: type,
    eventMs: ms(at),
    agentArn: agentArn(agent),
    instanceArn: ARN,
    current,
    previous,
    version: '2017-10-01',
  };
}

/**
 * Builds a chain of events where each event's previous snapshot is the one
 * before's current snapshot, as Connect publishes them.
 */
export function timeline(agent: string, steps: Array<[type: string, at: string, current: AgentSnapshot]>): AgentEvent[] {
  let prev: AgentSnapshot | null = null;
  return steps.map(([type, at, cur]) => {
    const e = agentEvent(type, at, cur, type === 'LOGIN' ? snapshot('Offline') : prev, agent);
    prev = cur;
    return e;
  });
}
