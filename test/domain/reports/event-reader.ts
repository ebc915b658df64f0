/**
 * A MetricReader over agent events held in memory (the reference engine), for
 * report tests built from real event shapes. Timeline points carry what the
 * activity audit can use (status StartTimestamp, contact InitiationMethod):
 * the contract `MetricReader.timeline` is asked to meet.
 */
import type { AgentSession } from '../../../lambdas/domain/engine/agent-activity.js';
import type { Cell } from '../../../lambdas/domain/engine/cell.js';
import type { EntityCatalog, EntityInfo, EntityKey, EntityKind } from '../../../lambdas/domain/engine/entities.js';
import { MetricEngine } from '../../../lambdas/domain/engine/metric-engine.js';
import { parseAgentEvent } from '../../../lambdas/domain/model/agent-event.js';
import { toAuditPoint } from '../../../lambdas/domain/reports/activity-audit.js';
import type { AuditPoint } from '../../../lambdas/domain/reports/activity-audit.js';
import type { AgentState, DeadLetter, MetricReader, StoredContact } from '../../../lambdas/storage/metric-store.js';

export class EventReader implements MetricReader {
  readonly engine = new MetricEngine();

  constructor(rawEvents: readonly unknown[]) {
    for (const raw of rawEvents) {
      const r = parseAgentEvent(raw);
      if (!r.ok) throw r.error;
      this.engine.addAgentEvent(r.value);
    }
  }

  async timeline(agentArn: string, startMs: number, endMs: number): Promise<AuditPoint[]> {
    const pts = this.engine.orderedEvents(agentArn).map(toAuditPoint);
    const before = pts.filter((p) => p.eventMs < startMs);
    const carry = before[before.length - 1];
    return [...(carry ? [carry] : []), ...pts.filter((p) => p.eventMs >= startMs && p.eventMs < endMs)];
  }

  async sessions(startMs: number, endMs: number): Promise<AgentSession[]> {
    return this.engine.sessions().filter((s) => s.loginMs < endMs && (s.logoutMs === null || s.logoutMs >= startMs));
  }

  async agentStates(): Promise<AgentState[]> {
    return this.engine.agentArns().map((agentArn) => {
      const events = this.engine.orderedEvents(agentArn);
      const last = events[events.length - 1];
      if (!last) throw new Error('agent without events');
      return { agentArn, eventMs: last.eventMs, eventType: last.eventType, snapshot: last.current };
    });
  }

  async agentStatesOf(agentArns: Iterable<string>): Promise<AgentState[]> {
    const want = new Set(agentArns);
    return (await this.agentStates()).filter((s) => want.has(s.agentArn));
  }

  async entities(): Promise<EntityCatalog> {
    return this.engine.entities;
  }

  async entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]> {
    return this.engine.entities.entitiesOf(keys);
  }

  async entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]> {
    return this.engine.entities.entitiesNamed(kind, values);
  }

  // eslint-disable-next-line require-yield
  async *contacts(): AsyncGenerator<StoredContact> {
    return;
  }

  // eslint-disable-next-line require-yield
  async *cells(): AsyncGenerator<Cell> {
    return;
  }

  // eslint-disable-next-line require-yield
  async *deadLetters(): AsyncGenerator<DeadLetter> {
    return;
  }

  async deleteDeadLetter(): Promise<void> {}
}

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
export const GINA = `${INSTANCE}/agent/gina`;
export const PROFILES = { basic: `${INSTANCE}/routing-profile/basic`, sales: `${INSTANCE}/routing-profile/sales` } as const;
export const GROUPS = { na: `${INSTANCE}/agent-group/na`, emea: `${INSTANCE}/agent-group/emea` } as const;

/** A snapshot as Connect publishes it; `profile` and `group` pick Gina's configuration at that time. */
export function ginaSnapshot(status: 'Available' | 'Offline' | 'Break', since: string, profile: keyof typeof PROFILES, group: keyof typeof GROUPS) {
  const type = { Available: 'ROUTABLE', Offline: 'OFFLINE', Break: 'CUSTOM' }[status];
  return {
    AgentStatus: { ARN: `${INSTANCE}/agent-state/${status}`, Name: status, StartTimestamp: since, Type: type },
    Configuration: {
      AgentHierarchyGroups: { Level1: { ARN: GROUPS[group], Name: group === 'na' ? 'North America' : 'EMEA' } },
      FirstName: 'Gina',
      LastName: 'Rossi',
      RoutingProfile: {
        ARN: PROFILES[profile],
        Name: profile === 'basic' ? 'Basic Routing Profile' : 'Sales',
        InboundQueues: [
          { ARN: `${INSTANCE}/queue/agent/gina`, Name: null },
          { ARN: `${INSTANCE}/queue/basic`, Name: 'BasicQueue' },
        ],
      },
      Username: 'gina',
    },
    Contacts: [],
  };
}

let seq = 0;
export function ginaEvent(type: string, at: string, current: unknown, previous: unknown = null) {
  seq += 1;
  return {
    AWSAccountId: '123456789012',
    AgentARN: GINA,
    CurrentAgentSnapshot: current,
    EventId: `gina-${String(seq).padStart(4, '0')}`,
    EventTimestamp: at,
    EventType: type,
    InstanceARN: INSTANCE,
    PreviousAgentSnapshot: previous,
    Version: '2017-10-01',
  };
}
