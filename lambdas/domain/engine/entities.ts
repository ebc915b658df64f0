/**
 * Display names for the ids aggregates are keyed by (ARNs where Connect gives
 * them). Reports show names; filters match names or ARNs.
 */
import { agentQueueName, isAgentQueue } from '../agent-queue.js';
import type { Ctr, AgentEvent, EntityRef, HierarchyLevels } from '../model/types.js';

export type EntityKind = 'queue' | 'agent' | 'routingProfile' | 'hierarchyGroup';

export interface EntityInfo {
  readonly kind: EntityKind;
  readonly id: string;
  readonly arn: string | null;
  readonly name: string | null;
  /** For agents: the login (Username). `name` is the login too. */
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  /** When this information was observed; newer observations win. */
  readonly seenMs: number;
}

/** Which entity: catalog entries are keyed by kind and id. */
export interface EntityKey {
  readonly kind: EntityKind;
  readonly id: string;
}

export class EntityCatalog {
  private readonly byId = new Map<string, EntityInfo>();

  get(id: string): EntityInfo | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<EntityInfo> {
    return this.byId.values();
  }

  put(info: EntityInfo): void {
    const cur = this.byId.get(info.id);
    if (!cur || info.seenMs >= cur.seenMs) {
      this.byId.set(info.id, {
        ...info,
        name: info.name ?? cur?.name ?? null,
        firstName: info.firstName ?? cur?.firstName ?? null,
        lastName: info.lastName ?? cur?.lastName ?? null,
      });
    }
  }

  /**
   * Name for a dimension value; falls back to the id (phone numbers and channels
   * are their own names). An agent queue has no name: it is named after its agent.
   */
  nameOf(id: string): string {
    const name = this.byId.get(id)?.name;
    if (name) return name;
    return isAgentQueue(id) ? agentQueueName(id, (agent) => this.byId.get(agent)?.name) : id;
  }

  /** The entries of the given entities that the catalog holds (a reader's `entitiesOf` over a catalog in memory). */
  entitiesOf(keys: Iterable<EntityKey>): EntityInfo[] {
    const out = new Map<string, EntityInfo>();
    for (const k of keys) {
      const e = this.byId.get(k.id);
      if (e && e.kind === k.kind) out.set(e.id, e);
    }
    return [...out.values()];
  }

  /** The entries of `kind` whose name or ARN is one of `values` (a reader's `entitiesNamed` over a catalog in memory). */
  entitiesNamed(kind: EntityKind, values: Iterable<string>): EntityInfo[] {
    const want = new Set(values);
    return [...this.byId.values()].filter((e) => e.kind === kind && ((e.name !== null && want.has(e.name)) || (e.arn !== null && want.has(e.arn))));
  }

  /** Resolves a filter value (name or ARN) to the ids it may denote. */
  resolve(nameOrArn: string): string[] {
    const out = new Set<string>([nameOrArn]);
    for (const e of this.byId.values()) if (e.name === nameOrArn || e.arn === nameOrArn) out.add(e.id);
    return [...out];
  }
}

function ref(kind: EntityKind, r: EntityRef | null, seenMs: number): EntityInfo[] {
  return r ? [{ kind, id: r.id, arn: r.arn, name: r.name, seenMs }] : [];
}

function hierarchy(h: HierarchyLevels, seenMs: number): EntityInfo[] {
  return [h.level1, h.level2, h.level3, h.level4, h.level5].flatMap((l) => ref('hierarchyGroup', l, seenMs));
}

export function entitiesOfCtr(ctr: Ctr): EntityInfo[] {
  const seen = ctr.lastUpdateMs;
  const out = ref('queue', ctr.queue?.ref ?? null, seen);
  const a = ctr.agent;
  if (a) {
    out.push({ kind: 'agent', id: a.ref.id, arn: a.ref.arn, name: a.username ?? a.ref.name, seenMs: seen });
    out.push(...ref('routingProfile', a.routingProfile, seen), ...hierarchy(a.hierarchy, seen));
  }
  return out;
}

export function entitiesOfAgentEvent(e: AgentEvent): EntityInfo[] {
  const s = e.current ?? e.previous;
  if (!s) return [];
  const c = s.configuration;
  const out: EntityInfo[] = [
    { kind: 'agent', id: e.agentArn, arn: e.agentArn, name: c.username, firstName: c.firstName, lastName: c.lastName, seenMs: e.eventMs },
    ...ref('routingProfile', c.routingProfile, e.eventMs),
    ...hierarchy(c.hierarchy, e.eventMs),
    ...c.inboundQueues.flatMap((q) => ref('queue', q, e.eventMs)),
  ];
  for (const contact of s.contacts) out.push(...ref('queue', contact.queue, e.eventMs));
  return out;
}
