/**
 * What one contact record contributes. Contact-record-driven metrics count the
 * whole contact in the 15-minute interval that contains its disconnect
 * (connect-docs/historical-metrics.md), under the record's queue, agent,
 * routing profile, hierarchy, phone number and channel.
 */
import type { Dims } from '../dimensions.js';
import { SL_THRESHOLDS } from '../metrics/primitives.js';
import type { Primitives } from '../metrics/primitives.js';
import type { Ctr } from '../model/types.js';
import { bucketOf } from '../time/intervals.js';
import type { Cell } from './cell.js';

const INCOMING_METHODS = new Set(['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER']);

/** How a queued contact left the queue. */
export type QueueOutcome = 'ANSWERED' | 'ABANDONED' | 'FLOW_TRANSFER' | 'OTHER_DISCONNECT';

export function ctrDims(ctr: Ctr): Dims {
  const a = ctr.agent;
  return {
    queue: ctr.queue?.ref.id ?? null,
    agent: a?.ref.id ?? null,
    routingProfile: a?.routingProfile?.id ?? null,
    phoneNumber: ctr.systemPhoneNumber,
    hierarchy1: a?.hierarchy.level1?.id ?? null,
    hierarchy2: a?.hierarchy.level2?.id ?? null,
    hierarchy3: a?.hierarchy.level3?.id ?? null,
    hierarchy4: a?.hierarchy.level4?.id ?? null,
    hierarchy5: a?.hierarchy.level5?.id ?? null,
    channel: ctr.channel,
  };
}

export function isHandled(ctr: Ctr): boolean {
  return ctr.agent?.connectedToAgentMs != null;
}

export function isQueued(ctr: Ctr): boolean {
  return ctr.queue?.enqueueMs != null;
}

/**
 * The registry's abandon rule (see its ABANDON_NOTE): never answered, not moved
 * on by a flow (no NextContactId), and disconnected by the customer, or with no
 * DisconnectReason at all (older records).
 */
export function queueOutcome(ctr: Ctr): QueueOutcome {
  if (isHandled(ctr)) return 'ANSWERED';
  if (ctr.nextContactId) return 'FLOW_TRANSFER';
  if (ctr.disconnectReason === null || ctr.disconnectReason === 'CUSTOMER_DISCONNECT') return 'ABANDONED';
  return 'OTHER_DISCONNECT';
}

/** Seconds the contact waited in the queue: QueueInfo.Duration, else dequeue − enqueue. */
export function queueSeconds(ctr: Ctr): number | null {
  const q = ctr.queue;
  if (!q || q.enqueueMs === null) return null;
  if (q.durationSec !== null) return q.durationSec;
  if (q.dequeueMs !== null) return Math.max(0, (q.dequeueMs - q.enqueueMs) / 1000);
  return Math.max(0, (ctr.disconnectMs - q.enqueueMs) / 1000);
}

/**
 * The part of a contact record that metrics depend on. The store keeps these
 * per contact (small, and enough to retract a contact's contribution when a
 * newer version of its record arrives); primitives are always recomputed from them.
 */
export interface ContactFacts {
  /** InitiationMethod. */
  readonly m: string;
  /** Connected to an agent. */
  readonly h: boolean;
  /** Seconds in queue, or null when never queued. */
  readonly q: number | null;
  /** How it left the queue (when queued). */
  readonly o: QueueOutcome | null;
  /** AgentInteractionDuration, CustomerHoldDuration, AfterContactWorkDuration (seconds). */
  readonly ai: number;
  readonly hd: number;
  readonly acw: number;
  /** Put on hold at least once. */
  readonly oh: boolean;
  /** DisconnectReason AGENT_DISCONNECT. */
  readonly ad: boolean;
  /** Transferred out by the agent: 'i'nternal (NextContactId) or 'e'xternal (TransferredToEndpoint). */
  readonly tr: 'i' | 'e' | null;
}

export function contactFacts(ctr: Ctr): ContactFacts {
  const agent = ctr.agent;
  const handled = isHandled(ctr) && agent !== null;
  const waited = queueSeconds(ctr);
  return {
    m: ctr.initiationMethod,
    h: handled,
    q: waited,
    o: waited === null ? null : queueOutcome(ctr),
    ai: handled && agent ? agent.agentInteractionDurationSec : 0,
    hd: handled && agent ? agent.customerHoldDurationSec : 0,
    acw: handled && agent ? agent.afterContactWorkDurationSec : 0,
    oh: handled && agent !== null && agent.numberOfHolds > 0,
    ad: ctr.disconnectReason === 'AGENT_DISCONNECT',
    tr: !handled ? null : ctr.transferredToEndpoint ? 'e' : ctr.nextContactId ? 'i' : null,
  };
}

export function factsPrimitives(f: ContactFacts): Primitives {
  const p: Record<string, number> = { ctr_records: 1 };
  const method = f.m;

  if (INCOMING_METHODS.has(method)) p.contacts_incoming = 1;
  if (method === 'CALLBACK') p.callback_contacts = 1;
  if (method === 'API') p.api_contacts = 1;
  if (method === 'TRANSFER' || method === 'QUEUE_TRANSFER') {
    p.contacts_transferred_in = 1;
    p[method === 'TRANSFER' ? 'contacts_transferred_in_by_agent' : 'contacts_transferred_in_from_queue'] = 1;
  }

  if (f.h) {
    p.contacts_handled = 1;
    if (INCOMING_METHODS.has(method)) p.contacts_handled_incoming = 1;
    if (method === 'OUTBOUND') {
      p.contacts_handled_outbound = 1;
      p.outbound_agent_interaction_time = f.ai * 1000;
      p.outbound_after_contact_work_time = f.acw * 1000;
    }
    if (method === 'CALLBACK') p.callback_contacts_handled = 1;
    if (method === 'API') p.api_contacts_handled = 1;
    p.agent_interaction_time = f.ai * 1000;
    p.customer_hold_time = f.hd * 1000;
    p.after_contact_work_time = f.acw * 1000;
    if (f.oh) p.contacts_put_on_hold = 1;
    if (f.ad) p.contacts_agent_hung_up_first = 1;
    if (f.tr) {
      p.contacts_transferred_out = 1;
      p.contacts_transferred_out_by_agent = 1;
      p[f.tr === 'e' ? 'contacts_transferred_out_external' : 'contacts_transferred_out_internal'] = 1;
    }
  }

  if (f.q !== null && f.o !== null) {
    const waited = f.q;
    const outcome = f.o;
    p.contacts_queued = 1;
    p.max_queued_time = Math.round(waited * 1000);
    const removed = outcome !== 'OTHER_DISCONNECT';
    for (const x of SL_THRESHOLDS) {
      if (waited > x) continue;
      if (removed) p[`removed_in_${x}`] = 1;
      if (outcome === 'ANSWERED') p[`answered_in_${x}`] = 1;
      if (outcome === 'ABANDONED') p[`abandoned_in_${x}`] = 1;
    }
    if (outcome === 'ANSWERED') {
      p.contacts_answered_from_queue = 1;
      p.queue_answer_time = Math.round(waited * 1000);
    } else if (outcome === 'ABANDONED') {
      p.contacts_abandoned = 1;
      p.abandon_time = Math.round(waited * 1000);
    } else if (outcome === 'FLOW_TRANSFER') {
      p.contacts_transferred_out = (p.contacts_transferred_out ?? 0) + 1;
      p.contacts_transferred_out_from_queue = 1;
    }
  }
  return p as Primitives;
}

export function ctrPrimitives(ctr: Ctr): Primitives {
  return factsPrimitives(contactFacts(ctr));
}

/** The single cell a contact record contributes to. */
export function ctrContribution(ctr: Ctr): Cell {
  return { bucket: bucketOf(ctr.disconnectMs), dims: ctrDims(ctr), values: ctrPrimitives(ctr) };
}
