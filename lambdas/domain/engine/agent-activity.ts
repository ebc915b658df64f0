/**
 * Agent-activity-driven metrics from agent events.
 *
 * An agent's events, in time order, cut the timeline into segments: from one
 * event to the next, the agent is as the first event's CurrentAgentSnapshot
 * says (Connect publishes a STATE_CHANGE for every status or contact-state
 * change, and a HEART_BEAT after 120 s of silence). Status times are split
 * across 15-minute buckets by wall clock (connect-docs/historical-metrics.md).
 *
 * Everything is a function of one event, or of one event and the timestamp of
 * the next, so a store can apply contributions idempotently and replace a
 * segment when a late event lands inside it.
 */
import type { Dims } from '../dimensions.js';
import { EMPTY_DIMS } from '../dimensions.js';
import type { PrimitiveId } from '../metrics/primitives.js';
import { MAX_SPREAD_MS } from '../model/limits.js';
import type { AgentConfiguration, AgentContact, AgentEvent } from '../model/types.js';
import { bucketOf, splitByBucket } from '../time/intervals.js';
import type { Cell } from './cell.js';

/** Contact states in which the contact is being offered to the agent (ringing). */
export const OFFER_STATES: ReadonlySet<string> = new Set(['INCOMING', 'PENDING', 'CONNECTING']);
/** Contact states in which the agent is on the contact: talking, holding, or in ACW. */
export const ACTIVE_STATES: ReadonlySet<string> = new Set(['CONNECTED', 'CONNECTED_ONHOLD', 'ENDED']);
/** Contact states the CCP shows as an error status until the agent clears it. */
export const ERROR_STATES: ReadonlySet<string> = new Set(['ERROR', 'MISSED', 'REJECTED']);
const MISSED_STATES: ReadonlySet<string> = new Set(['MISSED', 'REJECTED']);
const CONNECTING_END_STATES: ReadonlySet<string> = new Set(['CONNECTED', 'MISSED', 'REJECTED', 'ERROR']);

const CONNECTING_PRIMITIVES: Record<string, readonly [PrimitiveId, PrimitiveId]> = {
  INBOUND: ['incoming_connecting_time', 'incoming_connecting_count'],
  OUTBOUND: ['outbound_connecting_time', 'outbound_connecting_count'],
  CALLBACK: ['callback_connecting_time', 'callback_connecting_count'],
  API: ['api_connecting_time', 'api_connecting_count'],
};

export function agentDims(agentArn: string, cfg: AgentConfiguration): Dims {
  const h = cfg.hierarchy;
  return {
    ...EMPTY_DIMS,
    agent: agentArn,
    routingProfile: cfg.routingProfile?.id ?? null,
    hierarchy1: h.level1?.id ?? null,
    hierarchy2: h.level2?.id ?? null,
    hierarchy3: h.level3?.id ?? null,
    hierarchy4: h.level4?.id ?? null,
    hierarchy5: h.level5?.id ?? null,
  };
}

export function contactDims(agent: Dims, c: AgentContact): Dims {
  return { ...agent, queue: c.queue?.id ?? null, channel: c.channel };
}

/**
 * One agent event reduced to what timelines need: when, what kind, the status
 * and contacts of its current snapshot, and the agent-level dims. Segments,
 * sessions and the activity audit are functions of these points alone, so a
 * store can keep points instead of whole events.
 */
export interface TimelinePoint {
  readonly eventId: string;
  readonly eventMs: number;
  readonly type: string;
  /** ROUTABLE, CUSTOM or OFFLINE (null when the event carried no snapshot). */
  readonly statusType: string | null;
  readonly statusName: string | null;
  /** Agent-level dims of the current snapshot (routing profile, hierarchy). */
  readonly dims: Dims;
  readonly contacts: ReadonlyArray<{ readonly id: string; readonly state: string }>;
}

export function toTimelinePoint(e: AgentEvent): TimelinePoint {
  const s = e.current;
  return {
    eventId: e.eventId,
    eventMs: e.eventMs,
    type: e.eventType,
    statusType: s?.status?.type ?? null,
    statusName: s?.status?.ref.name ?? null,
    dims: s ? agentDims(e.agentArn, s.configuration) : { ...EMPTY_DIMS, agent: e.agentArn },
    contacts: (s?.contacts ?? []).map((c) => ({ id: c.contactId, state: c.state })),
  };
}

/** What the agent is doing at a timeline point, for the status-time primitives. */
export function classifyPoint(p: TimelinePoint): {
  online: boolean;
  custom: boolean;
  idle: boolean;
  onContact: boolean;
  error: boolean;
} {
  const type = p.statusType ?? 'OFFLINE';
  const routable = type === 'ROUTABLE';
  let anyActive = false;
  let anyError = false;
  let allError = true;
  for (const c of p.contacts) {
    if (ACTIVE_STATES.has(c.state)) anyActive = true;
    if (ERROR_STATES.has(c.state)) anyError = true;
    else allError = false;
  }
  return {
    online: type !== 'OFFLINE',
    custom: type === 'CUSTOM',
    idle: routable && allError,
    onContact: routable && anyActive,
    error: anyError,
  };
}

function spread(out: Cell[], dims: Dims, primitive: PrimitiveId, startMs: number, endMs: number): void {
  for (const { bucket, ms } of splitByBucket(startMs, endMs)) out.push({ bucket, dims, values: { [primitive]: ms } });
}

/**
 * Status time for the segment from a point to the agent's next point at
 * `nextMs`. Nothing after a LOGOUT: the agent is logged out until the next LOGIN.
 * At most `MAX_SPREAD_MS` (8 days) is counted: Connect sends a HEART_BEAT
 * every 120 s while an agent is logged in, so a longer silence is missing
 * data, and two valid events years apart (a late or replayed one) must not
 * spread status time over every 15-minute bucket in between.
 */
export function segmentCells(point: TimelinePoint, nextMs: number): Cell[] {
  if (point.type === 'LOGOUT' || point.statusType === null || !(nextMs > point.eventMs)) return [];
  const k = classifyPoint(point);
  const out: Cell[] = [];
  const endMs = Math.min(nextMs, point.eventMs + MAX_SPREAD_MS);
  const put = (p: PrimitiveId) => spread(out, point.dims, p, point.eventMs, endMs);
  if (k.online) put('online_time');
  if (k.custom) put('non_productive_time');
  if (k.idle) put('agent_idle_time');
  if (k.onContact) put('agent_on_contact_time');
  if (k.error) put('error_status_time');
  return out;
}

export function segmentContribution(event: AgentEvent, nextMs: number): Cell[] {
  return segmentCells(toTimelinePoint(event), nextMs);
}

/** ACW measured as the seed user guide describes, for one contact leaving the snapshot. */
export interface AcwPeriod {
  readonly contactId: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The seed's rule: ACW starts at the StateStartTimestamp of the contact entering
 * ENDED and ends at the EventTimestamp of the STATE_CHANGE whose current
 * snapshot has no contacts while the previous snapshot's contact was ENDED.
 * With concurrent contacts (chat) the rule is applied per contact: an ENDED
 * contact missing from the current snapshot has finished its ACW.
 */
export function acwPeriods(event: AgentEvent): AcwPeriod[] {
  if (event.eventType === 'HEART_BEAT' || !event.previous) return [];
  const current = new Set((event.current?.contacts ?? []).map((c) => c.contactId));
  const out: AcwPeriod[] = [];
  for (const p of event.previous.contacts) {
    if (p.state !== 'ENDED' || current.has(p.contactId) || p.stateStartMs === null) continue;
    out.push({ contactId: p.contactId, startMs: p.stateStartMs, endMs: event.eventMs });
  }
  return out;
}

/**
 * Contact-level primitives an event carries on its own, by comparing its
 * previous and current snapshots: offers, answers, misses, connecting time,
 * hold disconnects and ACW periods.
 */
export function eventContribution(event: AgentEvent): Cell[] {
  if (event.eventType === 'HEART_BEAT') return [];
  const cur = event.current;
  const prev = event.previous;
  const cfg = cur?.configuration ?? prev?.configuration;
  if (!cfg) return [];
  const base = agentDims(event.agentArn, cfg);
  const bucket = bucketOf(event.eventMs);
  const out: Cell[] = [];
  const count = (dims: Dims, values: Partial<Record<PrimitiveId, number>>) => out.push({ bucket, dims, values });

  const before = new Map<string, AgentContact>();
  for (const p of prev?.contacts ?? []) before.set(p.contactId, p);
  const now = new Set<string>();

  for (const c of cur?.contacts ?? []) {
    now.add(c.contactId);
    const p = before.get(c.contactId);
    if (p && p.state === c.state) continue;
    const dims = contactDims(base, c);
    const v: Partial<Record<PrimitiveId, number>> = { contact_state_changes: 1 };
    // An offer counts when it resolves (answered, missed, error), so answered ≤ routed in every interval.
    if (p && OFFER_STATES.has(p.state) && !OFFER_STATES.has(c.state)) v.contacts_routed = 1;
    if (c.state === 'CONNECTED' && p && OFFER_STATES.has(p.state)) v.contacts_answered_by_agent = 1;
    if (MISSED_STATES.has(c.state) && !(p && MISSED_STATES.has(p.state))) v.contacts_missed = 1;
    if (c.state === 'ENDED' && p?.state === 'CONNECTED_ONHOLD') v.contacts_hold_disconnect = 1;
    count(dims, v);
    if (p?.state === 'CONNECTING' && CONNECTING_END_STATES.has(c.state) && p.stateStartMs !== null) {
      const prims = CONNECTING_PRIMITIVES[c.initiationMethod];
      if (prims) {
        spread(out, dims, prims[0], p.stateStartMs, event.eventMs);
        count(dims, { [prims[1]]: 1 });
      }
    }
  }

  for (const p of prev?.contacts ?? []) {
    if (now.has(p.contactId)) continue;
    const dims = contactDims(base, p);
    const v: Partial<Record<PrimitiveId, number>> = { contact_state_changes: 1 };
    if (p.state === 'CONNECTED_ONHOLD') v.contacts_hold_disconnect = 1;
    if (OFFER_STATES.has(p.state)) v.contacts_routed = 1;
    count(dims, v);
  }

  for (const acw of acwPeriods(event)) {
    const c = before.get(acw.contactId);
    if (!c) continue;
    const dims = contactDims(base, c);
    spread(out, dims, 'agent_acw_time', acw.startMs, acw.endMs);
    count(dims, { agent_acw_count: 1 });
  }
  return out;
}

/** A login/logout session. `logoutMs` is null while the agent is still logged in. */
export interface AgentSession {
  readonly agentArn: string;
  readonly loginMs: number;
  readonly logoutMs: number | null;
}

/**
 * Pairs each LOGOUT with the latest LOGIN before it. A LOGIN without a LOGOUT
 * stays open. A LOGOUT with no LOGIN seen (the session began before the data)
 * is not reported: its login time is unknown.
 */
export function sessionsOf(agentArn: string, ordered: ReadonlyArray<{ readonly type?: string; readonly eventType?: string; readonly eventMs: number }>): AgentSession[] {
  const out: AgentSession[] = [];
  let open: number | null = null;
  for (const e of ordered) {
    const type = e.type ?? e.eventType;
    if (type === 'LOGIN') {
      if (open !== null) out.push({ agentArn, loginMs: open, logoutMs: null });
      open = e.eventMs;
    } else if (type === 'LOGOUT' && open !== null) {
      out.push({ agentArn, loginMs: open, logoutMs: e.eventMs });
      open = null;
    }
  }
  if (open !== null) out.push({ agentArn, loginMs: open, logoutMs: null });
  return out;
}
