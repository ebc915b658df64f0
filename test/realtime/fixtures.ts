/**
 * Small builders for real-time tests: agent states with a chosen routing
 * profile and inbound queues, and an in-memory MetricReader so publisher and
 * report code can run without DynamoDB.
 */
import type { AgentSession, TimelinePoint } from '../../lambdas/domain/engine/agent-activity.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { EntityCatalog } from '../../lambdas/domain/engine/entities.js';
import type { EntityInfo, EntityKey, EntityKind } from '../../lambdas/domain/engine/entities.js';
import type { ContactFacts } from '../../lambdas/domain/engine/ctr-contribution.js';
import { EMPTY_DIMS } from '../../lambdas/domain/dimensions.js';
import type { Dims } from '../../lambdas/domain/dimensions.js';
import type { AgentContact, AgentSnapshot } from '../../lambdas/domain/model/types.js';
import type { LatestAgentState } from '../../lambdas/domain/realtime/agent-state.js';
import type { AgentState, DeadLetter, MetricReader, StoredContact } from '../../lambdas/storage/metric-store.js';
import { agentArn, queueRef, ref } from '../support/builders.js';

export const ms = (iso: string): number => Date.parse(iso);

export interface StateSpec {
  readonly agent: string;
  readonly status: string;
  readonly contacts?: ReadonlyArray<{ id?: string; state: string; method?: string; queue?: string; channel?: string }>;
  readonly profile?: string;
  readonly queues?: readonly string[];
  readonly at?: string;
  readonly eventType?: string;
  readonly statusSince?: string;
}

const STATUS_TYPES: Record<string, string> = { Available: 'ROUTABLE', Offline: 'OFFLINE' };

export function snap(s: Omit<StateSpec, 'agent' | 'at' | 'eventType'>): AgentSnapshot {
  const contacts: AgentContact[] = (s.contacts ?? []).map((c, i) => ({
    contactId: c.id ?? `c-${i}`,
    initialContactId: null,
    channel: c.channel ?? 'VOICE',
    initiationMethod: c.method ?? 'INBOUND',
    state: c.state,
    stateStartMs: null,
    connectedToAgentMs: null,
    queueMs: null,
    queue: queueRef(c.queue ?? 'Sales'),
  }));
  return {
    status: { ref: ref('agent-state', s.status), type: STATUS_TYPES[s.status] ?? 'CUSTOM', startMs: s.statusSince ? ms(s.statusSince) : null },
    configuration: {
      username: 'user',
      firstName: 'First',
      lastName: 'Last',
      routingProfile: ref('routing-profile', s.profile ?? 'Basic'),
      inboundQueues: (s.queues ?? ['Sales']).map(queueRef),
      hierarchy: { level1: null, level2: null, level3: null, level4: null, level5: null },
    },
    contacts,
  };
}

export function agentState(s: StateSpec): LatestAgentState {
  return { agentArn: agentArn(s.agent), eventMs: ms(s.at ?? '2026-03-10T10:00:00Z'), eventType: s.eventType ?? 'STATE_CHANGE', snapshot: snap(s) };
}

export function dims(over: Partial<Dims>): Dims {
  return { ...EMPTY_DIMS, ...over };
}

/** Facts of a contact as the store keeps them; every field can be overridden. */
export function facts(over: Partial<ContactFacts> = {}): ContactFacts {
  return { m: 'INBOUND', h: true, q: 10, o: 'ANSWERED', ai: 100, hd: 0, acw: 20, oh: false, ad: false, tr: null, ...over };
}

export function point(over: Partial<TimelinePoint> & { eventMs: number }): TimelinePoint {
  return {
    eventId: `e-${over.eventMs}`,
    type: 'STATE_CHANGE',
    statusType: 'ROUTABLE',
    statusName: 'Available',
    dims: dims({ agent: agentArn('alice'), routingProfile: ref('routing-profile', 'Basic').id }),
    contacts: [],
    ...over,
  };
}

/** A MetricReader over arrays: contacts by disconnect, timelines per agent (with the point in force at the start). */
export class MemoryReader implements MetricReader {
  constructor(
    readonly states: AgentState[],
    readonly contactList: StoredContact[],
    readonly timelines: Map<string, TimelinePoint[]> = new Map(),
    readonly catalog: EntityCatalog = new EntityCatalog(),
  ) {}

  async *contacts(startMs: number, endMs: number): AsyncGenerator<StoredContact> {
    for (const c of this.contactList) if (c.disconnectMs >= startMs && c.disconnectMs < endMs) yield c;
  }

  async timeline(agent: string, startMs: number, endMs: number): Promise<TimelinePoint[]> {
    const pts = this.timelines.get(agent) ?? [];
    const before = pts.filter((p) => p.eventMs < startMs);
    const carry = before[before.length - 1];
    return [...(carry ? [carry] : []), ...pts.filter((p) => p.eventMs >= startMs && p.eventMs < endMs)];
  }

  async agentStates(): Promise<AgentState[]> {
    return this.states;
  }

  async agentStatesOf(agentArns: Iterable<string>): Promise<AgentState[]> {
    const want = new Set(agentArns);
    return this.states.filter((s) => want.has(s.agentArn));
  }

  async entities(): Promise<EntityCatalog> {
    return this.catalog;
  }

  async entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]> {
    return this.catalog.entitiesOf(keys);
  }

  async entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]> {
    return this.catalog.entitiesNamed(kind, values);
  }

  // eslint-disable-next-line require-yield
  async *cells(): AsyncGenerator<Cell> {
    return;
  }

  async sessions(): Promise<AgentSession[]> {
    return [];
  }

  // eslint-disable-next-line require-yield
  async *deadLetters(): AsyncGenerator<DeadLetter> {
    return;
  }

  async deleteDeadLetter(): Promise<void> {}
}
