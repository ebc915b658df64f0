/**
 * Report filters: names or ARNs in the definition, ids in the data. A value is
 * resolved through the entity catalog to the ids of entities of the filter's
 * kind that have that name or ARN; the value itself is always kept too, so an
 * id the catalog has not seen yet (a new queue's ARN) still matches.
 *
 * A value that matches no known entity is not an error: the report simply has
 * no rows for it, and a warning says so.
 */
import { isAgentQueue } from '../agent-queue.js';
import { GROUPINGS } from '../dimensions.js';
import type { Dimension, Dims, Grouping } from '../dimensions.js';
import type { EntityCatalog, EntityKind } from '../engine/entities.js';
import type { Filters } from './definitions.js';

/** The catalog kind of each grouping's ids; phone numbers and channels are their own names. */
export const GROUPING_ENTITY_KIND: { readonly [G in Grouping]: EntityKind | null } = {
  QUEUE: 'queue',
  AGENT: 'agent',
  ROUTING_PROFILE: 'routingProfile',
  PHONE_NUMBER: null,
  AGENT_HIERARCHY_LEVEL_ONE: 'hierarchyGroup',
  AGENT_HIERARCHY_LEVEL_TWO: 'hierarchyGroup',
  AGENT_HIERARCHY_LEVEL_THREE: 'hierarchyGroup',
  AGENT_HIERARCHY_LEVEL_FOUR: 'hierarchyGroup',
  AGENT_HIERARCHY_LEVEL_FIVE: 'hierarchyGroup',
  CHANNEL: null,
};

const KIND_LABEL: Record<EntityKind, string> = {
  queue: 'queue',
  agent: 'agent',
  routingProfile: 'routing profile',
  hierarchyGroup: 'agent hierarchy group',
};

export interface ResolvedFilters {
  /** Per dimension, the ids to keep (the shape `RollupQuery.filters` takes). */
  readonly sets: Partial<Record<Dimension, ReadonlySet<string>>>;
  readonly warnings: readonly string[];
}

/** Resolves a definition's filters to id sets per dimension, with a warning for each value that matches no known entity. */
export function resolveFilters(filters: Filters, catalog: EntityCatalog): ResolvedFilters {
  const sets: Partial<Record<Dimension, ReadonlySet<string>>> = {};
  const warnings: string[] = [];
  for (const [key, values] of Object.entries(filters) as Array<[Grouping, readonly string[] | undefined]>) {
    if (!values) continue;
    const kind = GROUPING_ENTITY_KIND[key];
    const ids = new Set<string>();
    for (const v of values) {
      ids.add(v);
      if (kind === null) continue;
      let matched = catalog.get(v)?.kind === kind;
      for (const id of catalog.resolve(v)) {
        if (catalog.get(id)?.kind === kind) {
          ids.add(id);
          matched = true;
        }
      }
      if (kind === 'queue') {
        // An agent queue has no name of its own: it is selected by its ARN or by the name it is shown under (its agent's login).
        for (const e of catalog.all()) {
          if (e.kind === 'queue' && isAgentQueue(e.id) && catalog.nameOf(e.id) === v) {
            ids.add(e.id);
            matched = true;
          }
        }
      }
      if (!matched) warnings.push(`filters.${key}: ${JSON.stringify(v)} matches no ${KIND_LABEL[kind]} known to the catalog; no data matches it`);
    }
    sets[GROUPINGS[key]] = ids;
  }
  return { sets, warnings };
}

/** The agent-level dims a login/logout or audit filter looks at. */
export type AgentConfig = Pick<Dims, 'routingProfile' | 'hierarchy1' | 'hierarchy2' | 'hierarchy3' | 'hierarchy4' | 'hierarchy5'>;

/**
 * Whether an agent passes agent-report filters (AGENT, ROUTING_PROFILE,
 * hierarchy levels): every filtered dimension must hold one of its ids. An
 * agent whose configuration is unknown passes only filters on AGENT.
 */
export function agentMatches(agentArn: string, config: AgentConfig | undefined, sets: ResolvedFilters['sets']): boolean {
  for (const [dim, ids] of Object.entries(sets) as Array<[Dimension, ReadonlySet<string> | undefined]>) {
    if (!ids) continue;
    if (dim === 'agent') {
      if (!ids.has(agentArn)) return false;
      continue;
    }
    const v = config && dim in config ? config[dim as keyof AgentConfig] : null;
    if (v === null || !ids.has(v)) return false;
  }
  return true;
}
