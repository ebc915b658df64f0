/**
 * What one contact record contributes. Contact-record-driven metrics count the
 * whole contact in the 15-minute interval that contains its disconnect
 * ("Historical metrics reports", Contact record-driven metrics,
 * https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics.html),
 * under the record's queue, agent, routing profile, hierarchy, phone number and
 * channel.
 */
import type { Dims } from '../dimensions.js';
import { SL_THRESHOLDS } from '../metrics/primitives.js';
import type { Primitives } from '../metrics/primitives.js';
import type { AgentEvent, Ctr } from '../model/types.js';
import { bucketOf } from '../time/intervals.js';
import type { Cell } from './cell.js';

const INCOMING_METHODS = new Set(['INBOUND', 'TRANSFER', 'QUEUE_TRANSFER']);

/**
 * How a queued contact left the queue, as its own record tells: answered by an
 * agent; abandoned; moved on to a next contact without an agent
 * (`FLOW_TRANSFER`: NextContactId set — a Transfer to queue block or a
 * callback request; which of the two, the next contact's InitiationMethod
 * says, see `ContactFacts.nx`); or disconnected otherwise.
 */
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
 * on to a next contact (no NextContactId), and disconnected by the customer —
 * or a record with no DisconnectReason key at all (written before Connect added
 * the field: the 2019 rule). A DisconnectReason key that is present and null
 * means the contact was ended by a flow or an API (ctr-data-model): not an abandon.
 */
export function queueOutcome(ctr: Ctr): QueueOutcome {
  if (isHandled(ctr)) return 'ANSWERED';
  if (ctr.nextContactId) return 'FLOW_TRANSFER';
  if (ctr.disconnectReason === 'CUSTOMER_DISCONNECT') return 'ABANDONED';
  if (ctr.disconnectReason === null && !ctr.disconnectReasonPresent) return 'ABANDONED';
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
 * Seconds from EnqueueTimestamp to the agent's answer (Agent.ConnectedToAgentTimestamp),
 * for a queued contact an agent answered; null otherwise. "Contacts answered in X
 * seconds" is "based on the value of EnqueueTimestamp" — not QueueInfo.Duration,
 * which runs to the DequeueTimestamp after the agent whisper.
 */
export function answerSeconds(ctr: Ctr): number | null {
  const enq = ctr.queue?.enqueueMs;
  const conn = ctr.agent?.connectedToAgentMs;
  if (enq == null || conn == null) return null;
  return Math.max(0, (conn - enq) / 1000);
}

/**
 * What other records say about a contact. A contact's own record cannot tell
 * whether its NextContactId is a transfer or a callback, nor whether the
 * customer was on hold when it ended: the next contact's record and the
 * agent's events do.
 */
export interface ContactJoin {
  /** InitiationMethod of the next contact (found by NextContactId, or by its PreviousContactId); null or absent when not (yet) known. */
  readonly successorMethod?: string | null;
  /** The agent events show the contact going from CONNECTED_ONHOLD to ENDED (or leaving the snapshot on hold). */
  readonly endedOnHold?: boolean;
}

/**
 * The part of a contact record that metrics depend on. The store keeps these
 * per contact (small, and enough to retract a contact's contribution when a
 * newer version of its record arrives); primitives are always recomputed from them.
 *
 * `nx` and `eh` come from other records (`ContactJoin`): when those arrive
 * after the contact's own record, the stored facts are restated with
 * `withJoin` and the contact's contribution recomputed.
 */
export interface ContactFacts {
  /** InitiationMethod. */
  readonly m: string;
  /** Connected to an agent. */
  readonly h: boolean;
  /** Seconds in queue (QueueInfo.Duration), or null when never queued. */
  readonly q: number | null;
  /** How it left the queue (when queued). */
  readonly o: QueueOutcome | null;
  /** Seconds from EnqueueTimestamp to ConnectedToAgentTimestamp (queued and answered); absent in facts stored before it existed (then `q`). */
  readonly aq?: number | null;
  /** AgentInteractionDuration, CustomerHoldDuration, AfterContactWorkDuration (seconds). */
  readonly ai: number;
  readonly hd: number;
  readonly acw: number;
  /** Put on hold at least once. */
  readonly oh: boolean;
  /** DisconnectReason AGENT_DISCONNECT. */
  readonly ad: boolean;
  /** DisconnectReason CUSTOMER_DISCONNECT (absent in facts stored before it existed). */
  readonly cu?: boolean;
  /** Transferred out by the agent: 'i'nternal (NextContactId) or 'e'xternal (TransferredToEndpoint). */
  readonly tr: 'i' | 'e' | null;
  /** The next contact's InitiationMethod (`ContactJoin.successorMethod`); null or absent while unknown. */
  readonly nx?: string | null;
  /** Ended while the customer was on hold, per the agent events (`ContactJoin.endedOnHold`). */
  readonly eh?: boolean;
}

export function contactFacts(ctr: Ctr, join: ContactJoin = {}): ContactFacts {
  const agent = ctr.agent;
  const handled = isHandled(ctr) && agent !== null;
  const waited = queueSeconds(ctr);
  const base: ContactFacts = {
    m: ctr.initiationMethod,
    h: handled,
    q: waited,
    o: waited === null ? null : queueOutcome(ctr),
    aq: waited === null || !handled ? null : answerSeconds(ctr),
    ai: handled && agent ? agent.agentInteractionDurationSec : 0,
    hd: handled && agent ? agent.customerHoldDurationSec : 0,
    acw: handled && agent ? agent.afterContactWorkDurationSec : 0,
    oh: handled && agent !== null && agent.numberOfHolds > 0,
    ad: ctr.disconnectReason === 'AGENT_DISCONNECT',
    cu: ctr.disconnectReason === 'CUSTOMER_DISCONNECT',
    tr: !handled ? null : ctr.transferredToEndpoint ? 'e' : ctr.nextContactId ? 'i' : null,
  };
  return withJoin(base, join);
}

/** Facts restated with what other records say (fields of `join` that are undefined leave the facts as they are). */
export function withJoin(f: ContactFacts, join: ContactJoin): ContactFacts {
  let out = f;
  if (join.successorMethod !== undefined && join.successorMethod !== (f.nx ?? null)) out = { ...out, nx: join.successorMethod };
  if (join.endedOnHold !== undefined && join.endedOnHold !== (f.eh ?? false)) out = { ...out, eh: join.endedOnHold };
  return out;
}

/** Initiation methods of a next contact that make the contact a transfer out (ctr-data-model, InitiationMethod). */
export const TRANSFER_METHODS: ReadonlySet<string> = new Set(['TRANSFER', 'QUEUE_TRANSFER']);

/**
 * Whether a contact with a NextContactId left by a transfer. The next contact's
 * InitiationMethod decides: TRANSFER or QUEUE_TRANSFER is a transfer; CALLBACK
 * (the customer asked to be called back) is not, nor is any other method
 * (DISCONNECT: a contact created by a disconnect flow). While the next contact
 * is unknown the contact counts as a transfer; its facts are restated when the
 * next contact's record arrives.
 */
export function leftByTransfer(nx: string | null | undefined): boolean {
  return nx === null || nx === undefined || TRANSFER_METHODS.has(nx);
}

/**
 * The contact-level agent-event evidence of a hold disconnect: the contacts of
 * an agent event that were CONNECTED_ONHOLD in the previous snapshot and are
 * ENDED in the current one, or gone from it.
 */
export function contactsEndedOnHold(event: AgentEvent): string[] {
  const prev = event.previous?.contacts;
  if (!prev || prev.length === 0) return [];
  const now = new Map<string, string>();
  for (const c of event.current?.contacts ?? []) now.set(c.contactId, c.state);
  const out: string[] = [];
  for (const p of prev) {
    if (p.state !== 'CONNECTED_ONHOLD') continue;
    const s = now.get(p.contactId);
    if (s === undefined || s === 'ENDED') out.push(p.contactId);
  }
  return out;
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
    const transferred = f.tr === 'e' || (f.tr === 'i' && leftByTransfer(f.nx));
    if (transferred) {
      p.contacts_transferred_out = 1;
      p.contacts_transferred_out_by_agent = 1;
      p[f.tr === 'e' ? 'contacts_transferred_out_external' : 'contacts_transferred_out_internal'] = 1;
    }
    // Disconnected while the customer was on hold; a transfer made while the customer was on hold is not a disconnect.
    if (f.eh && !transferred) {
      p.contacts_hold_disconnected = 1;
      // Who hung up, from the record's DisconnectReason.
      if (f.ad) p.contacts_hold_agent_disconnected = 1;
      if (f.cu) p.contacts_hold_customer_disconnected = 1;
    }
  }

  if (f.q !== null && f.o !== null) {
    const waited = f.q;
    const outcome = f.o;
    const callback = outcome === 'FLOW_TRANSFER' && f.nx === 'CALLBACK';
    const queueTransfer = outcome === 'FLOW_TRANSFER' && leftByTransfer(f.nx);
    const answerWait = f.aq ?? waited;
    p.contacts_queued = 1;
    p.max_queued_time = Math.round(waited * 1000);
    // Service level X: removed from the queue = answered by an agent, abandoned, or a callback requested.
    const removed = outcome === 'ANSWERED' || outcome === 'ABANDONED' || callback;
    for (const x of SL_THRESHOLDS) {
      if (removed && waited <= x) p[`removed_in_${x}`] = 1;
      if (outcome === 'ANSWERED' && answerWait <= x) p[`answered_in_${x}`] = 1;
      if (outcome === 'ABANDONED' && waited <= x) p[`abandoned_in_${x}`] = 1;
    }
    if (outcome === 'ANSWERED') {
      p.contacts_answered_from_queue = 1;
      p.queue_answer_time = Math.round(waited * 1000);
    } else if (outcome === 'ABANDONED') {
      p.contacts_abandoned = 1;
      p.abandon_time = Math.round(waited * 1000);
    } else if (queueTransfer) {
      p.contacts_transferred_out = (p.contacts_transferred_out ?? 0) + 1;
      p.contacts_transferred_out_from_queue = 1;
    }
  }
  return p as Primitives;
}

export function ctrPrimitives(ctr: Ctr, join: ContactJoin = {}): Primitives {
  return factsPrimitives(contactFacts(ctr, join));
}

/** The single cell a contact record contributes to. */
export function ctrContribution(ctr: Ctr, join: ContactJoin = {}): Cell {
  return { bucket: bucketOf(ctr.disconnectMs), dims: ctrDims(ctr), values: ctrPrimitives(ctr, join) };
}
