/**
 * An agent's state at a past instant, rebuilt from the timeline points the
 * store keeps, for a report asked for an instant older than the agent's
 * latest event (the CLI's --at, the local dashboard replaying a day).
 *
 * A timeline point carries the status, the routing profile and hierarchy (as
 * dims) and each contact's id and state, but not the snapshot's
 * configuration or the contacts' initiation method and queue. Those come
 * from elsewhere: the inbound queues of the point's routing profile from the
 * latest snapshots (a routing profile's queues are a property of the profile,
 * the same for every agent in it), the names from the latest snapshot, and a
 * contact's method, queue and channel from its contact record when the store
 * has it (otherwise unknown: a CONNECTING contact then counts as ringing
 * in, not as an outbound ring).
 */
import type { TimelinePoint } from '../engine/agent-activity.js';
import type { AgentConfiguration, AgentContact, AgentSnapshot, EntityRef } from '../model/types.js';
import type { LatestAgentState } from './agent-state.js';

export interface ContactFactsLookup {
  /** InitiationMethod, queue id and channel of a contact, from its contact record. */
  (contactId: string): { readonly method: string; readonly queueId: string | null; readonly channel: string | null } | undefined;
}

/** Routing profile id → its inbound queues, from every snapshot at hand. */
export function profileQueues(states: readonly LatestAgentState[]): Map<string, readonly EntityRef[]> {
  const out = new Map<string, readonly EntityRef[]>();
  for (const s of states) {
    const cfg = s.snapshot?.configuration;
    const rp = cfg?.routingProfile?.id;
    if (rp !== undefined && cfg && cfg.inboundQueues.length > 0 && !out.has(rp)) out.set(rp, cfg.inboundQueues);
  }
  return out;
}

/** The last point at or before `atMs` (points in time order). */
export function pointAt(points: readonly TimelinePoint[], atMs: number): TimelinePoint | undefined {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as TimelinePoint).eventMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return points[lo - 1];
}

/**
 * The agent's state at `atMs`: the latest state itself when it is not newer,
 * else one rebuilt from the point in force then; undefined when the agent had
 * no event yet at `atMs`.
 */
export function stateAt(
  latest: LatestAgentState,
  points: readonly TimelinePoint[],
  atMs: number,
  queuesOfProfile: ReadonlyMap<string, readonly EntityRef[]>,
  contactFacts: ContactFactsLookup,
): LatestAgentState | undefined {
  if (latest.eventMs <= atMs) return latest;
  const p = pointAt(points, atMs);
  if (!p) return undefined;
  const base = latest.snapshot?.configuration;
  const rpId = p.dims.routingProfile;
  const sameProfile = base?.routingProfile?.id === rpId;
  const configuration: AgentConfiguration = {
    username: base?.username ?? null,
    firstName: base?.firstName ?? null,
    lastName: base?.lastName ?? null,
    routingProfile: rpId === null ? null : sameProfile && base?.routingProfile ? base.routingProfile : { id: rpId, arn: rpId.startsWith('arn:') ? rpId : null, name: null },
    inboundQueues: rpId === null ? [] : sameProfile && base ? base.inboundQueues : (queuesOfProfile.get(rpId) ?? []),
    hierarchy: sameProfile && base ? base.hierarchy : { level1: null, level2: null, level3: null, level4: null, level5: null },
  };
  const contacts: AgentContact[] = p.contacts.map((c) => {
    const f = contactFacts(c.id);
    return {
      contactId: c.id,
      initialContactId: null,
      channel: f?.channel ?? 'VOICE',
      initiationMethod: f?.method ?? 'UNKNOWN',
      state: c.state,
      stateStartMs: null,
      connectedToAgentMs: null,
      queueMs: null,
      queue: f?.queueId ? { id: f.queueId, arn: f.queueId.startsWith('arn:') ? f.queueId : null, name: null } : null,
    };
  });
  const snapshot: AgentSnapshot | null =
    p.statusType === null
      ? null
      : { status: { ref: { id: p.statusName ?? p.statusType, arn: null, name: p.statusName }, type: p.statusType, startMs: null }, configuration, contacts };
  return { agentArn: latest.agentArn, eventMs: p.eventMs, eventType: p.type, snapshot };
}
