/**
 * An agent's latest-state item (`S#<shard>`, sort key the agent ARN) as the timelines write and read it: the latest
 * point without its cells (`lp`), the snapshot of its event kept small enough to be rewritten by every batch
 * (`snap`, with `sd` the dims of that event), and the recent logins and logouts (`li`, `lo`) that late ones are
 * paired with into sessions.
 */
import { sessionsOf } from '../../domain/engine/agent-activity.js';
import type { AgentSession } from '../../domain/engine/agent-activity.js';
import type { EntityCatalog, EntityKey } from '../../domain/engine/entities.js';
import { isAgentQueue } from '../../domain/agent-queue.js';
import type { Dims } from '../../domain/dimensions.js';
import type { AgentEvent, AgentSnapshot, EntityRef } from '../../domain/model/types.js';
import { cmpPoints } from './agent-pages.js';
import type { PointJson } from './agent-pages.js';
import { compactJson, decodeSnapshot, encodeSnapshot, expandJson, instancePrefix } from './compact.js';
import { agentStateKey } from './keys.js';
import { checkItemSize } from './table-io.js';
import type { Item } from './table-io.js';

/** Logins and logouts the state keeps for pairing late ones (a batch pairs all of its own before trimming). */
export const MAX_RECENT = 8;

const idOnly = (r: EntityRef | null): EntityRef | null => (r ? { id: r.id, arn: null, name: null } : null);
const NO_HIERARCHY = { level1: null, level2: null, level3: null, level4: null, level5: null };

/**
 * The snapshot as the state keeps it, small enough to be rewritten often:
 * the routing profile and hierarchy groups are the agent dims of the latest
 * point (`lp.d`, read back through the dictionary), the routing profile's
 * queue list lives once per profile (dictionary.ts), queues are kept by id
 * (names and ARNs are in the entity catalog, which every reader has).
 */
export function compactSnapshot(s: AgentSnapshot | null): AgentSnapshot | null {
  if (!s) return null;
  return {
    status: s.status,
    configuration: {
      ...s.configuration,
      routingProfile: null,
      // Each agent's own queue (listed in its profile, first) stays with the agent.
      inboundQueues: s.configuration.inboundQueues.filter((q) => isAgentQueue(q.id)).map((q) => idOnly(q) as EntityRef),
      hierarchy: NO_HIERARCHY,
    },
    contacts: s.contacts.map((c) => ({ ...c, queue: idOnly(c.queue) })),
  };
}

/**
 * The entities `expandSnapshot` names: what a reader loads from the catalog for it, by key. Agent queues are left
 * out: they have no name (Connect sends "null") and their id is their ARN, so the catalog adds nothing to them, and
 * each agent has one: without them a whole center's states refer to a few hundred entities (queues, profiles,
 * groups), fewer than reading the catalog would.
 */
export function snapshotEntities(s: AgentSnapshot | null, dims: Dims | undefined): EntityKey[] {
  if (!s) return [];
  const cfg = s.configuration;
  const out: EntityKey[] = [];
  const add = (kind: EntityKey['kind'], id: string | null | undefined) => {
    if (id && !(kind === 'queue' && isAgentQueue(id))) out.push({ kind, id });
  };
  add('routingProfile', cfg.routingProfile?.id ?? dims?.routingProfile);
  for (const q of cfg.inboundQueues) add('queue', q.id);
  if (dims) for (const h of [dims.hierarchy1, dims.hierarchy2, dims.hierarchy3, dims.hierarchy4, dims.hierarchy5]) add('hierarchyGroup', h);
  else for (const l of [cfg.hierarchy.level1, cfg.hierarchy.level2, cfg.hierarchy.level3, cfg.hierarchy.level4, cfg.hierarchy.level5]) add('hierarchyGroup', l?.id);
  for (const c of s.contacts) add('queue', c.queue?.id);
  return out;
}

/** The snapshot as readers see it: routing profile and hierarchy from the agent dims, names and ARNs from the entity catalog. */
export function expandSnapshot(s: AgentSnapshot, dims: Dims | undefined, catalog: EntityCatalog): AgentSnapshot {
  const ref = (id: string | null): EntityRef | null => {
    if (id === null) return null;
    const e = catalog.get(id);
    return { id, arn: e?.arn ?? (id.startsWith('arn:') ? id : null), name: e?.name ?? null };
  };
  const named = (r: EntityRef | null): EntityRef | null => (r ? ref(r.id) : null);
  const cfg = s.configuration;
  return {
    ...s,
    configuration: {
      ...cfg,
      routingProfile: cfg.routingProfile ? named(cfg.routingProfile) : dims ? ref(dims.routingProfile) : null,
      inboundQueues: cfg.inboundQueues.map((q) => named(q) as EntityRef),
      hierarchy: dims ? { level1: ref(dims.hierarchy1), level2: ref(dims.hierarchy2), level3: ref(dims.hierarchy3), level4: ref(dims.hierarchy4), level5: ref(dims.hierarchy5) } : cfg.hierarchy,
    },
    contacts: s.contacts.map((c) => ({ ...c, queue: named(c.queue) })),
  };
}

/** The state's latest point (stored compacted; see compact.ts). */
export function stateLp(state: Item | undefined): PointJson | null {
  return state?.lp ? (JSON.parse(expandJson(String(state.lp), instancePrefix(state.sk))) as PointJson) : null;
}

/** The state's snapshot: positional arrays, or an object as states written before them hold. */
export function stateSnapshot(state: Item): AgentSnapshot | null {
  if (!state.snap) return null;
  const j = JSON.parse(expandJson(String(state.snap), instancePrefix(state.sk))) as unknown;
  return Array.isArray(j) ? decodeSnapshot(j) : (j as AgentSnapshot | null);
}

export function pairSessions(agent: string, logins: readonly number[], logouts: readonly number[]): AgentSession[] {
  const points = [...logins.map((m) => ({ type: 'LOGIN', eventMs: m })), ...logouts.map((m) => ({ type: 'LOGOUT', eventMs: m }))].sort(
    (a, b) => a.eventMs - b.eventMs || (a.type === 'LOGIN' ? -1 : 1),
  );
  return sessionsOf(agent, points);
}

/** A point as a copy without its cells (the state's latest point, a head's carry point). */
export const withoutCells = (p: PointJson): PointJson => {
  const { ic: _ic, s: _s, ...rest } = p;
  return rest;
};

/**
 * The agent's state item after a batch (its revision one more than the one read) and whether it equals the stored
 * one, and the sessions whose pairing the batch changed. `newest` is the agent's latest point known to the batch,
 * `stored` the state's; an older event never overwrites a newer one.
 */
export function nextState(
  agent: string,
  state: Item | undefined,
  stored: PointJson | null,
  newest: PointJson,
  events: readonly AgentEvent[],
  dimsHashOf: (e: AgentEvent) => string,
): { item: Item; same: boolean; rv: number | undefined; sessions: AgentSession[] } {
  const storedNewest = stored && cmpPoints(stored, newest) > 0 ? stored : null;
  const newestEvent = storedNewest ? undefined : events.find((e) => e.eventId === newest.i);
  const logins: number[] = state?.li ? (JSON.parse(String(state.li)) as number[]) : [];
  const logouts: number[] = state?.lo ? (JSON.parse(String(state.lo)) as number[]) : [];
  const before = new Map(pairSessions(agent, logins, logouts).map((s) => [s.loginMs, s.logoutMs]));
  for (const e of events) {
    if (e.eventType === 'LOGIN' && !logins.includes(e.eventMs)) logins.push(e.eventMs);
    if (e.eventType === 'LOGOUT' && !logouts.includes(e.eventMs)) logouts.push(e.eventMs);
  }
  logins.sort((x, y) => x - y);
  logouts.sort((x, y) => x - y);
  // Pair before trimming: a batch with more than MAX_RECENT logins of one agent must still write all its sessions.
  const sessions = pairSessions(agent, logins, logouts);
  logins.splice(0, Math.max(0, logins.length - MAX_RECENT));
  logouts.splice(0, Math.max(0, logouts.length - MAX_RECENT));
  const prefix = instancePrefix(agent);
  // The latest point without its cells (they are in its bucket), and the dims of the snapshot's event.
  const lp = withoutCells(storedNewest ?? newest);
  const snap = newestEvent ? compactJson(JSON.stringify(encodeSnapshot(compactSnapshot(newestEvent.current))), prefix) : ((state?.snap as string | null | undefined) ?? null);
  const rv = typeof state?.rv === 'number' ? state.rv : undefined;
  const snapDims = newestEvent ? dimsHashOf(newestEvent) : ((state?.sd as string | undefined) ?? null);
  const item: Item = { ...agentStateKey(agent), lp: compactJson(JSON.stringify(lp), prefix), lm: lp.m, lt: lp.t, snap, sd: snapDims, li: JSON.stringify(logins), lo: JSON.stringify(logouts), rv: (rv ?? 0) + 1 };
  checkItemSize(item, 'agent-state');
  const same = state !== undefined && (['lp', 'lm', 'lt', 'snap', 'sd', 'li', 'lo'] as const).every((k) => state[k] === item[k]);
  return { item, same, rv, sessions: sessions.filter((s) => before.get(s.loginMs) !== s.logoutMs || !before.has(s.loginMs)) };
}
