/**
 * The entity catalog one report reads: the entities its filters can select and
 * those its rows show, read by key and through the name index (storage:
 * `entitiesOf`, `entitiesNamed`). Never the whole catalog: a large center has
 * tens of thousands of agents and agent queues, and a report names only the
 * few its range holds.
 *
 * One selection of the whole catalog is not made: an agent queue whose agent
 * has no login is shown under the agent's id, and a QUEUE filter naming that
 * id does not select it (the id alone does not give the instance its ARN
 * needs). Filter such a queue by its ARN.
 */
import { agentOfAgentQueue, agentQueueOf } from '../domain/agent-queue.js';
import { EntityCatalog } from '../domain/engine/entities.js';
import type { EntityInfo, EntityKey, EntityKind } from '../domain/engine/entities.js';
import type { Grouping } from '../domain/dimensions.js';
import type { Filters } from '../domain/reports/definitions.js';
import { GROUPING_ENTITY_KIND } from '../domain/reports/filters.js';
import type { AgentConfig } from '../domain/reports/filters.js';
import type { MetricReader } from '../storage/metric-store.js';

const keyOf = (k: EntityKey): string => `${k.kind}\u0000${k.id}`;

export class ReportCatalog {
  readonly catalog = new EntityCatalog();
  private readonly loaded = new Set<string>();

  constructor(private readonly reader: MetricReader) {}

  private put(entities: readonly EntityInfo[]): void {
    for (const e of entities) {
      this.catalog.put(e);
      this.loaded.add(keyOf(e));
    }
  }

  /** Loads the given entities not loaded yet; an agent queue brings its agent, whose login names it. */
  async load(keys: Iterable<EntityKey>): Promise<void> {
    const fresh = new Map<string, EntityKey>();
    const add = (k: EntityKey) => {
      const s = keyOf(k);
      if (!this.loaded.has(s)) fresh.set(s, k);
    };
    for (const k of keys) {
      add(k);
      const agent = k.kind === 'queue' ? agentOfAgentQueue(k.id) : null;
      if (agent) add({ kind: 'agent', id: agent });
    }
    if (fresh.size === 0) return;
    this.put(await this.reader.entitiesOf(fresh.values()));
    for (const s of fresh.keys()) this.loaded.add(s);
  }

  /**
   * What a definition's filters can select (see `resolveFilters`): each value as an id, the entities of the filter's
   * kind with that name or ARN, and for QUEUE the agent queues of the agents with that login.
   */
  async loadFilters(filters: Filters<Grouping> | undefined): Promise<void> {
    const work: Array<Promise<void>> = [];
    for (const [grouping, values] of Object.entries(filters ?? {}) as Array<[Grouping, readonly string[] | undefined]>) {
      const kind: EntityKind | null = GROUPING_ENTITY_KIND[grouping];
      if (!values || values.length === 0 || kind === null) continue;
      work.push(this.load(values.map((id) => ({ kind, id }))));
      work.push(this.reader.entitiesNamed(kind, values).then((found) => this.put(found)));
      if (kind === 'queue') {
        work.push(
          this.reader.entitiesNamed('agent', values).then((agents) => {
            this.put(agents);
            const queues = agents.map((a) => agentQueueOf(a.id)).filter((id): id is string => id !== null);
            return this.load(queues.map((id) => ({ kind: 'queue' as const, id })));
          }),
        );
      }
    }
    await Promise.all(work);
  }

  /** Loads the routing profile and hierarchy groups of agent configurations (the login/logout report's columns). */
  loadConfigs(configs: Iterable<AgentConfig | undefined>): Promise<void> {
    const keys: EntityKey[] = [];
    for (const c of configs) {
      if (!c) continue;
      if (c.routingProfile) keys.push({ kind: 'routingProfile', id: c.routingProfile });
      for (const h of [c.hierarchy1, c.hierarchy2, c.hierarchy3, c.hierarchy4, c.hierarchy5]) if (h) keys.push({ kind: 'hierarchyGroup', id: h });
    }
    return this.load(keys);
  }
}
