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
import type { AgentConfiguration, AgentContact, AgentEvent } from '../model/types.js';
import { bucketOf, splitByBucket } from '../time/intervals.js';
import type { Cell } from './cell.js';

/**
 * The longest stretch one agent event's state counts for (see segmentCells);
 * it also bounds the work and storage one event can cause.
 */
export const MAX_SEGMENT_MS = 24 * 3600 * 1000;

/** Contact states in which the contact is ringing (an offer to the agent, or the agent's own call ringing out). */
export const OFFER_STATES: ReadonlySet<string> = new Set(['INCOMING', 'PENDING', 'CONNECTING']);
/** Contact states in which the agent is on the contact: talking, holding, or in ACW. */
export const ACTIVE_STATES: ReadonlySet<string> = new Set(['CONNECTED', 'CONNECTED_ONHOLD', 'ENDED']);
/** Contact states the CCP shows as an error status until the agent clears it. */
export const ERROR_STATES: ReadonlySet<string> = new Set(['ERROR', 'MISSED', 'REJECTED']);
const CONNECTING_END_STATES: ReadonlySet<string> = new Set(['CONNECTED', 'MISSED', 'REJECTED', 'ERROR']);
/**
 * Initiation methods whose contacts are not routed to the agent: the agent's
 * own outbound dial (the CCP), and a supervisor's monitoring session.
 */
const NOT_ROUTED_METHODS: ReadonlySet<string> = new Set(['OUTBOUND', 'MONITOR']);

/** Whether contacts of this initiation method are routed to the agent (an unknown method is). */
export function isRoutedMethod(method: string | null | undefined): boolean {
  return method === null || method === undefined || !NOT_ROUTED_METHODS.has(method);
}

/**
 * Whether a contact in this state is an offer routed to the agent and not yet
 * answered. Contacts are routed to agents unless the agent dialled them
 * (OUTBOUND) or is monitoring (MONITOR). A queued callback is offered as
 * INCOMING ("Callback incoming"); once the agent accepts it, Connect dials the
 * customer (CONNECTING, "Callback dialing"), so its CONNECTING is no longer an offer.
 */
export function isOffer(state: string, method: string | null | undefined): boolean {
  if (!isRoutedMethod(method)) return false;
  if (method === 'CALLBACK') return state === 'INCOMING' || state === 'PENDING';
  return OFFER_STATES.has(state);
}

/**
 * How a change of one contact in the agent's snapshot resolves an offer:
 * `before` is its state in the previous snapshot (undefined: not listed),
 * `after` its state now (null: gone from the snapshot). An offer resolves
 * answered when the contact connects (a callback: when the agent accepts it and
 * Connect starts dialing, CONNECTING), missed otherwise: MISSED, REJECTED,
 * ERROR, or gone while ringing (the customer abandoned). A contact that shows
 * up already MISSED or REJECTED is an offer whose ringing was not seen. Null
 * when no offer resolves.
 */
export function offerOutcome(before: string | undefined, after: string | null, method: string | null | undefined): 'answered' | 'missed' | null {
  if (before === undefined) return after !== null && (after === 'MISSED' || after === 'REJECTED') && isRoutedMethod(method) ? 'missed' : null;
  if (!isOffer(before, method) || (after !== null && isOffer(after, method))) return null;
  if (after === 'CONNECTED' || after === 'CONNECTED_ONHOLD' || (method === 'CALLBACK' && after === 'CONNECTING')) return 'answered';
  return 'missed';
}

/**
 * Outbound ring: the agent's own call ringing the customer (OUTBOUND in
 * CONNECTING) or Connect dialing the customer of a callback the agent accepted
 * (CALLBACK in CONNECTING). Real-time "On contact" counts it ("connected, on
 * hold, in After contact work, or outbound ring"), and the Agent Activity is
 * "On contact" for "Outbound contact/Outbound callback".
 */
export function isOutboundRing(state: string, method: string | null | undefined): boolean {
  return state === 'CONNECTING' && (method === 'OUTBOUND' || method === 'CALLBACK');
}

/** Connecting time by initiation method (callbacks are measured from the offer: see `eventContribution`). */
const CONNECTING_PRIMITIVES: Record<string, readonly [PrimitiveId, PrimitiveId]> = {
  INBOUND: ['incoming_connecting_time', 'incoming_connecting_count'],
  OUTBOUND: ['outbound_connecting_time', 'outbound_connecting_count'],
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
  readonly contacts: ReadonlyArray<TimelineContact>;
}

/**
 * A contact of a timeline point. `method`, `queue` and `channel` were added for
 * outbound ring (on contact) and for custom-status time per contact; points
 * stored without them still classify (as not ringing out) and count custom time
 * under no queue and no channel.
 */
export interface TimelineContact {
  readonly id: string;
  readonly state: string;
  /** InitiationMethod of the contact. */
  readonly method?: string;
  /** The contact's queue id (its ARN where Connect gives one). */
  readonly queue?: string | null;
  readonly channel?: string;
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
    contacts: (s?.contacts ?? []).map((c) => ({ id: c.contactId, state: c.state, method: c.initiationMethod, queue: c.queue?.id ?? null, channel: c.channel })),
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
    if (ACTIVE_STATES.has(c.state) || isOutboundRing(c.state, c.method)) anyActive = true;
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
 * At most `MAX_SEGMENT_MS` (24 hours) is counted: Connect sends a HEART_BEAT
 * every 120 s while an agent is logged in, so a longer silence is missing
 * data (lost events or a missing LOGOUT), and two valid events far apart (a
 * late or replayed one) must not spread status time over every 15-minute
 * bucket in between.
 */
export function segmentCells(point: TimelinePoint, nextMs: number): Cell[] {
  if (point.type === 'LOGOUT' || point.statusType === null || !(nextMs > point.eventMs)) return [];
  const k = classifyPoint(point);
  const out: Cell[] = [];
  const endMs = Math.min(nextMs, point.eventMs + MAX_SEGMENT_MS);
  const put = (p: PrimitiveId) => spread(out, point.dims, p, point.eventMs, endMs);
  if (k.online) put('online_time');
  if (k.custom) put('non_productive_time');
  if (k.idle) put('agent_idle_time');
  if (k.onContact) put('agent_on_contact_time');
  if (k.error) put('error_status_time');
  if (k.custom) {
    // Handle time spent in a custom status, per contact (Average handle time leaves it out).
    for (const c of point.contacts) {
      if (!ACTIVE_STATES.has(c.state)) continue;
      spread(out, { ...point.dims, queue: c.queue ?? null, channel: c.channel ?? null }, 'contact_time_in_custom_status', point.eventMs, endMs);
    }
  }
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
 *
 * An offer (see `isOffer`) counts once, when it resolves: answered when the
 * contact goes to CONNECTED (a callback: when the agent accepts it and Connect
 * starts dialing), missed otherwise — MISSED, REJECTED, ERROR, or gone from the
 * snapshot while ringing (the customer abandoned). So every routed offer is
 * either answered or missed, and the answer rate never exceeds 100%.
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
    const method = c.initiationMethod;
    const dims = contactDims(base, c);
    const v: Partial<Record<PrimitiveId, number>> = { contact_state_changes: 1 };
    const outcome = offerOutcome(p?.state, c.state, method);
    if (outcome !== null) {
      v.contacts_routed = 1;
      v[outcome === 'answered' ? 'contacts_answered_by_agent' : 'contacts_missed'] = 1;
    }
    if (c.state === 'ENDED' && p?.state === 'CONNECTED_ONHOLD') v.contacts_hold_disconnect = 1;
    count(dims, v);
    if (!p || p.stateStartMs === null) continue;
    if (method === 'CALLBACK') {
      // From Amazon Connect reserving the agent (the offer) to the agent connected: every ringing phase counts.
      const ends = CONNECTING_END_STATES.has(c.state);
      if (OFFER_STATES.has(p.state) && (ends || OFFER_STATES.has(c.state))) {
        spread(out, dims, 'callback_connecting_time', p.stateStartMs, event.eventMs);
        if (ends) count(dims, { callback_connecting_count: 1 });
      }
    } else if (p.state === 'CONNECTING' && CONNECTING_END_STATES.has(c.state)) {
      const prims = CONNECTING_PRIMITIVES[method];
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
    // Gone while ringing: the customer abandoned the offer (or Connect withdrew it); not answered.
    if (offerOutcome(p.state, null, p.initiationMethod) === 'missed') {
      v.contacts_routed = 1;
      v.contacts_missed = 1;
    }
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
