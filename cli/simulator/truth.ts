/**
 * Ground truth: metric values per 15-minute UTC interval computed from the
 * simulator's own timeline (its typed contact records and agent state
 * changes), independently of the metrics engine. Only metric ids and the
 * groupings each metric allows are taken from the registry; every formula is
 * written here again from the metric definitions, so that a mistake in the
 * engine cannot hide behind the same mistake in the truth.
 *
 * Attribution rules (the engine follows the same ones):
 * - contact-record metrics: the final record version counts whole in the
 *   interval of its DisconnectTimestamp;
 * - agent-level activity: wall-clock time split across intervals;
 * - contact-level activity: counts in the interval of the state change,
 *   times split by wall clock.
 *
 * Agent-side rules (written from the Amazon Connect definitions; the
 * simulator reports facts through `contactChanged` and `agentStretch`, the
 * rules live here):
 * - an offer is a contact routed to the agent and not yet answered: INCOMING
 *   or CONNECTING, except the agent's own OUTBOUND dial (not routed to them); a
 *   callback is offered INCOMING and answered when the agent accepts it, after
 *   which Connect dials the customer (CONNECTING). An offer ends answered or
 *   missed: MISSED, ERROR, or gone while ringing ("Contacts missed": "routed to
 *   an agent but not answered by the agent, including contacts abandoned by the
 *   customer");
 * - on contact: Available with a contact connected, on hold, in ACW, or ringing
 *   out (the agent's OUTBOUND call or a callback being dialed: real-time "On
 *   contact" counts "outbound ring");
 * - callback connecting time runs from the offer (Connect reserving the agent)
 *   to the end of dialing;
 * - Average handle time leaves out the time the agent spent in a custom status
 *   while a contact was connected, on hold or in ACW (per contact).
 */
import type { Grouping } from '../../lambdas/domain/dimensions.js';
import { SL_THRESHOLDS } from '../../lambdas/domain/metrics/primitives.js';
import { SUPPORTED_METRICS } from '../../lambdas/domain/metrics/registry.js';
import type { AgentContactState } from './agent-event-json.js';
import type { AgentDef } from './center.js';
import type { CtrRecord, InitiationMethod } from './ctr-record.js';
import { INTERVAL_MS, isoMillis } from './zone-clock.js';

export type TruthGrouping = Extract<Grouping, 'QUEUE' | 'AGENT' | 'ROUTING_PROFILE'>;
export const TRUTH_GROUPINGS: readonly TruthGrouping[] = ['QUEUE', 'AGENT', 'ROUTING_PROFILE'];

export type MetricValues = Record<string, number | null>;

export interface TruthInterval {
  /** Interval start, ISO 8601 UTC with milliseconds. */
  readonly start: string;
  /** grouping → ARN → metric id → value (null: no data, a dash in a report). */
  readonly groups: Record<TruthGrouping, Record<string, MetricValues>>;
}

export interface TruthSession {
  readonly agentArn: string;
  readonly username: string;
  readonly loginMs: number;
  /** Null while the session is still open at the end of the simulated window. */
  readonly logoutMs: number | null;
}

export interface TruthMeta {
  readonly seed: number;
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
  readonly agents: number;
}

export interface Truth extends TruthMeta {
  readonly intervals: TruthInterval[];
  readonly sessions: TruthSession[];
}

/** Connecting-time buckets, by the contact's initiation method. */
type ConnectingKind = 'incoming' | 'outbound' | 'callback' | 'api';
const CONNECTING_KIND: Partial<Record<InitiationMethod, ConnectingKind>> = {
  INBOUND: 'incoming',
  OUTBOUND: 'outbound',
  CALLBACK: 'callback',
  API: 'api',
};

const N_SL = SL_THRESHOLDS.length;

/** Everything a report row needs, summed over the contributions attributed to it. Times in integer ms. */
class RowAcc {
  // contact records
  ctrRecords = 0;
  queued = 0;
  handled = 0;
  handledIncoming = 0;
  handledOutbound = 0;
  handledCallback = 0;
  handledApi = 0;
  incoming = 0;
  callback = 0;
  api = 0;
  abandoned = 0;
  abandonMs = 0;
  answeredFromQueue = 0;
  queueAnswerMs = 0;
  maxQueuedMs = -1;
  removedIn: number[] = new Array<number>(N_SL).fill(0);
  answeredIn: number[] = new Array<number>(N_SL).fill(0);
  abandonedIn: number[] = new Array<number>(N_SL).fill(0);
  interactionMs = 0;
  holdMs = 0;
  acwMs = 0;
  outboundInteractionMs = 0;
  outboundAcwMs = 0;
  putOnHold = 0;
  agentHungUp = 0;
  transferredIn = 0;
  transferredInByAgent = 0;
  transferredInFromQueue = 0;
  transferredOutByAgent = 0;
  transferredOutInternal = 0;
  transferredOutExternal = 0;
  transferredOutFromQueue = 0;
  // agent-level activity
  onlineMs = 0;
  idleMs = 0;
  nptMs = 0;
  errorMs = 0;
  onContactMs = 0;
  // contact-level activity
  stateChanges = 0;
  missed = 0;
  routed = 0;
  answeredByAgent = 0;
  connectingMs: Record<ConnectingKind, number> = { incoming: 0, outbound: 0, callback: 0, api: 0 };
  connectingCount: Record<ConnectingKind, number> = { incoming: 0, outbound: 0, callback: 0, api: 0 };
  acwEventMs = 0;
  acwEventCount = 0;
  /** Contacts that went from CONNECTED_ONHOLD to ENDED in the agent's snapshot (evidence only; the metric is `holdDisconnected`). */
  holdDisconnect = 0;
  /** Per contact: time connected, on hold or in ACW while the agent was in a custom status (AHT leaves it out). */
  customOnContactMs = 0;
  /** Contact records of contacts that ended on hold and were not transferred out: Contacts hold disconnect (contact-record-driven). */
  holdDisconnected = 0;
  holdAgentDisconnected = 0;
  holdCustomerDisconnected = 0;

  hasData(): boolean {
    return this.ctrRecords > 0 || this.onlineMs > 0 || this.stateChanges > 0;
  }
}

type MetricFn = (a: RowAcc) => number | null;

/**
 * Totals of contacts (counts and summed times, from contact records or from the
 * contacts in agent events): 0 in any row the report has, never a dash — one
 * rule for count columns across rows.
 */
const total = (f: MetricFn): MetricFn => f;
/** Contact-record metrics: no value unless a record is attributed to the row. */
const ctr =
  (f: MetricFn): MetricFn =>
  (a) =>
    a.ctrRecords > 0 ? f(a) : null;
/** Agent-level activity metrics: no value unless the row has online time. */
const agentLevel =
  (f: MetricFn): MetricFn =>
  (a) =>
    a.onlineMs > 0 ? f(a) : null;
/** Contact-level activity metrics: no value unless a contact changed state in the row. */
const contactLevel =
  (f: MetricFn): MetricFn =>
  (a) =>
    a.stateChanges > 0 ? f(a) : null;

/** Same operation order as a ms-sum / count / 1000 average, so values are bit-identical to a primitive-based engine. */
const avgSec = (ms: number, n: number): number | null => (n === 0 ? null : ms / n / 1000);
const pct = (num: number, den: number): number | null => (den === 0 ? null : (num / den) * 100);
const sec = (ms: number): number => ms / 1000;

function buildMetricFns(): ReadonlyMap<string, MetricFn> {
  const m = new Map<string, MetricFn>();
  const set = (id: string, f: MetricFn): void => {
    m.set(id, f);
  };
  // ---- contact-record-driven ----
  set('contacts_queued', total((a) => a.queued));
  set('contacts_handled', total((a) => a.handled));
  set('contacts_handled_incoming', total((a) => a.handledIncoming));
  set('contacts_handled_outbound', total((a) => a.handledOutbound));
  set('callback_contacts_handled', total((a) => a.handledCallback));
  set('api_contacts_handled', total((a) => a.handledApi));
  set('contacts_incoming', total((a) => a.incoming));
  set('callback_contacts', total((a) => a.callback));
  set('api_contacts', total((a) => a.api));
  set('contacts_abandoned', total((a) => a.abandoned));
  set('abandonment_rate', ctr((a) => pct(a.abandoned, a.queued)));
  set('avg_queue_abandon_time', ctr((a) => avgSec(a.abandonMs, a.abandoned)));
  set('avg_queue_answer_time', ctr((a) => avgSec(a.queueAnswerMs, a.answeredFromQueue)));
  set('max_queued_time', ctr((a) => (a.queued > 0 && a.maxQueuedMs >= 0 ? sec(a.maxQueuedMs) : null)));
  SL_THRESHOLDS.forEach((x, i) => {
    set(`service_level_${x}`, ctr((a) => pct(a.removedIn[i] ?? 0, a.queued)));
    set(`contacts_answered_in_${x}`, total((a) => a.answeredIn[i] ?? 0));
    set(`contacts_abandoned_in_${x}`, total((a) => a.abandonedIn[i] ?? 0));
  });
  set('after_contact_work_time', total((a) => sec(a.acwMs)));
  set('avg_after_contact_work_time', ctr((a) => avgSec(a.acwMs, a.handled)));
  set('agent_interaction_time', total((a) => sec(a.interactionMs)));
  set('avg_agent_interaction_time', ctr((a) => avgSec(a.interactionMs, a.handled)));
  set('customer_hold_time', total((a) => sec(a.holdMs)));
  set('avg_customer_hold_time', ctr((a) => avgSec(a.holdMs, a.putOnHold)));
  set('agent_interaction_and_hold_time', total((a) => sec(a.interactionMs + a.holdMs)));
  set('avg_agent_interaction_and_customer_hold_time', ctr((a) => avgSec(a.interactionMs + a.holdMs, a.handled)));
  set('contact_handle_time', total((a) => sec(a.interactionMs + a.holdMs + a.acwMs)));
  set('avg_handle_time', ctr((a) => avgSec(Math.max(0, a.interactionMs + a.holdMs + a.acwMs - a.customOnContactMs), a.handled)));
  set('avg_outbound_agent_interaction_time', ctr((a) => avgSec(a.outboundInteractionMs, a.handledOutbound)));
  set('avg_outbound_after_contact_work_time', ctr((a) => avgSec(a.outboundAcwMs, a.handledOutbound)));
  set('contacts_put_on_hold', total((a) => a.putOnHold));
  set('contacts_agent_hung_up_first', total((a) => a.agentHungUp));
  set('contacts_transferred_in', total((a) => a.transferredIn));
  set('contacts_transferred_in_by_agent', total((a) => a.transferredInByAgent));
  set('contacts_transferred_in_from_queue', total((a) => a.transferredInFromQueue));
  set('contacts_transferred_out', total((a) => a.transferredOutByAgent + a.transferredOutFromQueue));
  set('contacts_transferred_out_by_agent', total((a) => a.transferredOutByAgent));
  set('contacts_transferred_out_internal', total((a) => a.transferredOutInternal));
  set('contacts_transferred_out_external', total((a) => a.transferredOutExternal));
  set('contacts_transferred_out_from_queue', total((a) => a.transferredOutFromQueue));
  // ---- agent-level activity ----
  set('online_time', agentLevel((a) => sec(a.onlineMs)));
  set('agent_idle_time', agentLevel((a) => sec(a.idleMs)));
  set('non_productive_time', agentLevel((a) => sec(a.nptMs)));
  set('error_status_time', agentLevel((a) => sec(a.errorMs)));
  set('agent_on_contact_time', agentLevel((a) => sec(a.onContactMs)));
  set('occupancy', agentLevel((a) => pct(a.onContactMs, a.onContactMs + a.idleMs)));
  // ---- contact-level activity ----
  set('contacts_missed', total((a) => a.missed));
  set('agent_answer_rate', contactLevel((a) => pct(a.answeredByAgent, a.routed)));
  for (const k of ['incoming', 'outbound', 'callback', 'api'] as const) {
    set(`agent_${k}_connecting_time`, total((a) => sec(a.connectingMs[k])));
    set(`avg_agent_${k}_connecting_time`, contactLevel((a) => avgSec(a.connectingMs[k], a.connectingCount[k])));
  }
  // Contact-record-driven: the record of a contact that ended on hold, unless it was transferred out (a transfer made on hold).
  set('contacts_hold_disconnect', total((a) => a.holdDisconnected));
  set('contacts_hold_agent_disconnect', total((a) => a.holdAgentDisconnected));
  set('contacts_hold_customer_disconnect', total((a) => a.holdCustomerDisconnected));
  set('avg_acw_agent_events', contactLevel((a) => avgSec(a.acwEventMs, a.acwEventCount)));
  return m;
}

const METRIC_FNS = buildMetricFns();

/** Metric ids per grouping, in registry order; fails loudly when the registry gains a metric the truth does not compute. */
export const TRUTH_METRIC_IDS: Readonly<Record<TruthGrouping, readonly string[]>> = (() => {
  const out = { QUEUE: [] as string[], AGENT: [] as string[], ROUTING_PROFILE: [] as string[] };
  for (const metric of SUPPORTED_METRICS) {
    if (!METRIC_FNS.has(metric.id)) throw new Error(`Simulator truth does not compute metric ${metric.id}`);
    for (const g of TRUTH_GROUPINGS) if (metric.groupableBy.includes(g)) out[g].push(metric.id);
  }
  return out;
})();

/** A contact in an agent's snapshot, as the truth needs to know it. */
export interface TruthContact {
  readonly id: string;
  readonly method: InitiationMethod;
  readonly queueArn: string | null;
}

/** A contact's state before a change, and since when. */
export interface TruthContactPhase {
  readonly state: AgentContactState;
  readonly sinceMs: number;
}

/** What an agent is doing during a stretch of timeline: facts only, the truth applies the rules. */
export interface AgentStretch {
  readonly loggedIn: boolean;
  /** ROUTABLE, CUSTOM or OFFLINE. */
  readonly statusType: string;
  readonly contacts: ReadonlyArray<TruthContact & { readonly state: AgentContactState }>;
}

/** Ringing: the contact is being offered to the agent, or the agent's own call is ringing out. */
const RINGING: ReadonlySet<AgentContactState> = new Set(['INCOMING', 'CONNECTING']);

/** An offer routed to the agent and not answered yet (the agent's own dial is not routed to them). */
function offered(method: InitiationMethod, state: AgentContactState): boolean {
  if (method === 'OUTBOUND') return false;
  return method === 'CALLBACK' ? state === 'INCOMING' : RINGING.has(state);
}

/** "Outbound ring": the agent's OUTBOUND call, or a callback Connect is dialing. */
function ringingOut(method: InitiationMethod, state: AgentContactState): boolean {
  return state === 'CONNECTING' && (method === 'OUTBOUND' || method === 'CALLBACK');
}

/** Talking, on hold or in ACW. */
function engaged(state: AgentContactState): boolean {
  return state === 'CONNECTED' || state === 'CONNECTED_ONHOLD' || state === 'ENDED';
}

/** The agent-level flags of a stretch (see the module doc). */
export function agentActivityFlags(s: AgentStretch): AgentActivityFlags {
  const routable = s.statusType === 'ROUTABLE';
  const error = s.contacts.some((c) => c.state === 'MISSED' || c.state === 'ERROR');
  const allError = s.contacts.every((c) => c.state === 'MISSED' || c.state === 'ERROR');
  return {
    online: s.loggedIn && s.statusType !== 'OFFLINE',
    npt: s.statusType === 'CUSTOM',
    idle: routable && allError,
    onContact: routable && s.contacts.some((c) => engaged(c.state) || ringingOut(c.method, c.state)),
    error,
  };
}

interface IntervalAcc {
  readonly QUEUE: Map<string, RowAcc>;
  readonly AGENT: Map<string, RowAcc>;
  readonly ROUTING_PROFILE: Map<string, RowAcc>;
}

/** Flags of one stretch of an agent's timeline (see the agent-level activity rules in the module doc). */
export interface AgentActivityFlags {
  readonly online: boolean;
  readonly npt: boolean;
  readonly idle: boolean;
  readonly onContact: boolean;
  readonly error: boolean;
}

/**
 * Accumulates contributions per interval and hands finished intervals to
 * `onInterval` in order. An interval is finished once the simulation clock is
 * far enough past its end that nothing can still be attributed to it (see
 * `flushBefore`), which keeps memory bounded on long runs.
 */
export class TruthBuilder {
  private readonly open = new Map<number, IntervalAcc>();
  private nextToEmit: number;
  private readonly lastIndex: number;

  constructor(
    startMs: number,
    endMs: number,
    private readonly onInterval: (iv: TruthInterval) => void,
  ) {
    this.nextToEmit = Math.floor(startMs / INTERVAL_MS);
    this.lastIndex = Math.ceil(endMs / INTERVAL_MS) - 1;
  }

  private row(idx: number, grouping: TruthGrouping, arn: string): RowAcc {
    if (idx < this.nextToEmit) throw new Error(`Truth: contribution to interval ${isoMillis(idx * INTERVAL_MS)} after it was written`);
    let iv = this.open.get(idx);
    if (!iv) {
      iv = { QUEUE: new Map(), AGENT: new Map(), ROUTING_PROFILE: new Map() };
      this.open.set(idx, iv);
    }
    const rows = iv[grouping];
    let acc = rows.get(arn);
    if (!acc) {
      acc = new RowAcc();
      rows.set(arn, acc);
    }
    return acc;
  }

  /** The rows a contact-level contribution goes to: the contact's queue, the agent, the agent's routing profile. */
  private contactRows(idx: number, agent: AgentDef, queueArn: string | null): RowAcc[] {
    const rows = [this.row(idx, 'AGENT', agent.arn), this.row(idx, 'ROUTING_PROFILE', agent.profile.arn)];
    if (queueArn !== null) rows.push(this.row(idx, 'QUEUE', queueArn));
    return rows;
  }

  /** Splits [fromMs, toMs) across intervals. */
  private split(fromMs: number, toMs: number, f: (idx: number, ms: number) => void): void {
    let t = fromMs;
    while (t < toMs) {
      const idx = Math.floor(t / INTERVAL_MS);
      const end = Math.min(toMs, (idx + 1) * INTERVAL_MS);
      f(idx, end - t);
      t = end;
    }
  }

  // ---------------- agent-level activity ----------------

  agentSpan(agent: AgentDef, fromMs: number, toMs: number, flags: AgentActivityFlags): void {
    if (!flags.online || toMs <= fromMs) return;
    this.split(fromMs, toMs, (idx, ms) => {
      for (const acc of [this.row(idx, 'AGENT', agent.arn), this.row(idx, 'ROUTING_PROFILE', agent.profile.arn)]) {
        acc.onlineMs += ms;
        if (flags.npt) acc.nptMs += ms;
        if (flags.idle) acc.idleMs += ms;
        if (flags.onContact) acc.onContactMs += ms;
        if (flags.error) acc.errorMs += ms;
      }
    });
  }

  /** A stretch of an agent's timeline: status time by the agent-side rules, and custom-status time per contact on it. */
  agentStretch(agent: AgentDef, fromMs: number, toMs: number, stretch: AgentStretch): void {
    const flags = agentActivityFlags(stretch);
    this.agentSpan(agent, fromMs, toMs, flags);
    if (!flags.online || !flags.npt || toMs <= fromMs) return;
    for (const c of stretch.contacts) {
      if (!engaged(c.state)) continue;
      this.split(fromMs, toMs, (idx, ms) => {
        for (const acc of this.contactRows(idx, agent, c.queueArn)) acc.customOnContactMs += ms;
      });
    }
  }

  // ---------------- contact-level activity ----------------

  /** When Amazon Connect reserved the agent for each callback offer: agent ARN + contact id → ms. */
  private readonly callbackReserved = new Map<string, number>();

  /**
   * A contact of the agent's snapshot changed: `from` null when it appears
   * (offered, or the agent dials), `to` null when it leaves the snapshot.
   */
  contactChanged(agent: AgentDef, c: TruthContact, from: TruthContactPhase | null, to: AgentContactState | null, atMs: number): void {
    const idx = Math.floor(atMs / INTERVAL_MS);
    const rows = () => this.contactRows(idx, agent, c.queueArn);
    for (const acc of rows()) acc.stateChanges++;
    const key = `${agent.arn}|${c.id}`;
    if (from === null) {
      if (c.method === 'CALLBACK') this.callbackReserved.set(key, atMs);
      return;
    }
    if (offered(c.method, from.state) && (to === null || !offered(c.method, to))) {
      const answered = to === 'CONNECTED' || to === 'CONNECTED_ONHOLD' || (c.method === 'CALLBACK' && to === 'CONNECTING');
      for (const acc of rows()) {
        acc.routed++;
        if (answered) acc.answeredByAgent++;
        else acc.missed++;
      }
    }
    if (from.state === 'CONNECTED_ONHOLD' && (to === 'ENDED' || to === null)) for (const acc of rows()) acc.holdDisconnect++;
    // Connecting time: from CONNECTING to CONNECTED, MISSED or ERROR; a callback's from the reservation.
    if (to !== null && RINGING.has(from.state) && !RINGING.has(to) && to !== 'ENDED') {
      const kind = CONNECTING_KIND[c.method];
      const startMs = c.method === 'CALLBACK' ? this.callbackReserved.get(key) : from.state === 'CONNECTING' ? from.sinceMs : undefined;
      if (kind !== undefined && startMs !== undefined) {
        this.split(startMs, atMs, (i, ms) => {
          for (const acc of this.contactRows(i, agent, c.queueArn)) acc.connectingMs[kind] += ms;
        });
        for (const acc of rows()) acc.connectingCount[kind]++;
      }
    }
    if (to === null) {
      this.callbackReserved.delete(key);
      if (from.state === 'ENDED') this.acwEnded(agent, c.queueArn, from.sinceMs, atMs);
    }
  }

  // ---------------- contact-level activity (superseded by contactChanged; kept while the simulator still calls them) ----------------

  /** Any change of a contact in an agent's snapshot (offered, connected, hold, resume, ended, missed, error, removed). */
  contactStateChange(agent: AgentDef, queueArn: string | null, atMs: number): void {
    for (const acc of this.contactRows(Math.floor(atMs / INTERVAL_MS), agent, queueArn)) acc.stateChanges++;
  }

  contactRouted(agent: AgentDef, queueArn: string | null, atMs: number): void {
    for (const acc of this.contactRows(Math.floor(atMs / INTERVAL_MS), agent, queueArn)) acc.routed++;
  }

  contactAnswered(agent: AgentDef, queueArn: string | null, atMs: number): void {
    for (const acc of this.contactRows(Math.floor(atMs / INTERVAL_MS), agent, queueArn)) acc.answeredByAgent++;
  }

  contactMissed(agent: AgentDef, queueArn: string | null, atMs: number): void {
    for (const acc of this.contactRows(Math.floor(atMs / INTERVAL_MS), agent, queueArn)) acc.missed++;
  }

  contactHoldDisconnect(agent: AgentDef, queueArn: string | null, atMs: number): void {
    for (const acc of this.contactRows(Math.floor(atMs / INTERVAL_MS), agent, queueArn)) acc.holdDisconnect++;
  }

  /** A CONNECTING period that ended (CONNECTED, MISSED or ERROR): time split, count at the end. */
  connectingEnded(agent: AgentDef, queueArn: string | null, method: InitiationMethod, fromMs: number, toMs: number): void {
    const kind = CONNECTING_KIND[method];
    if (kind === undefined) return;
    this.split(fromMs, toMs, (idx, ms) => {
      for (const acc of this.contactRows(idx, agent, queueArn)) acc.connectingMs[kind] += ms;
    });
    for (const acc of this.contactRows(Math.floor(toMs / INTERVAL_MS), agent, queueArn)) acc.connectingCount[kind]++;
  }

  /** An ACW period that ended (contact removed from the snapshot): time split, count at the end. */
  acwEnded(agent: AgentDef, queueArn: string | null, fromMs: number, toMs: number): void {
    this.split(fromMs, toMs, (idx, ms) => {
      for (const acc of this.contactRows(idx, agent, queueArn)) acc.acwEventMs += ms;
    });
    for (const acc of this.contactRows(Math.floor(toMs / INTERVAL_MS), agent, queueArn)) acc.acwEventCount++;
  }

  // ---------------- contact records ----------------

  /** InitiationMethod of every contact whose record was seen, to classify its predecessor (a callback is not a transfer). */
  private readonly methods = new Map<string, string>();
  /**
   * Queued contacts an agent never answered that left for a next contact whose
   * record has not been seen yet: counted as a queue-to-queue transfer until
   * then (as the engine does); restated as a callback if the next contact's
   * record shows CALLBACK. Their intervals are not written while they wait.
   */
  private readonly awaitingNext = new Map<string, { readonly idx: number; readonly rows: RowAcc[]; readonly queueMs: number }>();

  /** A queued, unanswered contact leaves by a queue transfer (+1) or by a callback request; `sign` -1 takes it back. */
  private static flowExit(rows: readonly RowAcc[], kind: 'transfer' | 'callback', queueMs: number, sign: 1 | -1): void {
    for (const acc of rows) {
      if (kind === 'transfer') acc.transferredOutFromQueue += sign;
      else
        SL_THRESHOLDS.forEach((x, i) => {
          if (queueMs <= x * 1000) acc.removedIn[i] = (acc.removedIn[i] ?? 0) + sign;
        });
    }
  }

  contactRecord(r: CtrRecord): void {
    this.methods.set(r.contactId, r.initiationMethod);
    if (r.previousContactId !== null) {
      const waiting = this.awaitingNext.get(r.previousContactId);
      if (waiting) {
        this.awaitingNext.delete(r.previousContactId);
        if (r.initiationMethod === 'CALLBACK') {
          TruthBuilder.flowExit(waiting.rows, 'transfer', waiting.queueMs, -1);
          TruthBuilder.flowExit(waiting.rows, 'callback', waiting.queueMs, 1);
        }
      }
    }
    const idx = Math.floor(r.disconnectMs / INTERVAL_MS);
    const rows: RowAcc[] = [];
    if (r.queue) rows.push(this.row(idx, 'QUEUE', r.queue.def.arn));
    if (r.agent) rows.push(this.row(idx, 'AGENT', r.agent.def.arn), this.row(idx, 'ROUTING_PROFILE', r.agent.def.profile.arn));
    if (rows.length === 0) return;

    const m = r.initiationMethod;
    const queued = r.queue !== null && r.queue.enqueueMs !== null;
    const queueMs = queued && r.queue && r.queue.enqueueMs !== null && r.queue.dequeueMs !== null ? r.queue.dequeueMs - r.queue.enqueueMs : 0;
    const handled = r.agent !== null;
    const isIncoming = m === 'INBOUND' || m === 'TRANSFER' || m === 'QUEUE_TRANSFER';
    // The next contact's method, when its record has been seen: a CALLBACK is not a transfer; unknown counts as one.
    const next = r.nextContactId === null ? undefined : this.methods.get(r.nextContactId);
    const nextIsTransfer = next === undefined || next === 'TRANSFER' || next === 'QUEUE_TRANSFER';
    const movedOnByFlow = queued && !handled && r.nextContactId !== null;
    const abandoned = queued && !handled && r.nextContactId === null && r.disconnectReason === 'CUSTOMER_DISCONNECT';
    const transferredByAgent = handled && (r.transferredTo !== null || (r.nextContactId !== null && nextIsTransfer));
    const a = r.agent;

    for (const acc of rows) {
      acc.ctrRecords++;
      if (queued) {
        acc.queued++;
        if (queueMs > acc.maxQueuedMs) acc.maxQueuedMs = queueMs;
        // Service level: removed from the queue when answered, abandoned or a callback is requested (flow exits below).
        const removed = handled || abandoned;
        // Answered in X: EnqueueTimestamp to the agent's answer.
        const answerMs = a && r.queue && r.queue.enqueueMs !== null ? a.connectedMs - r.queue.enqueueMs : 0;
        SL_THRESHOLDS.forEach((x, i) => {
          if (removed && queueMs <= x * 1000) acc.removedIn[i] = (acc.removedIn[i] ?? 0) + 1;
          if (handled && answerMs <= x * 1000) acc.answeredIn[i] = (acc.answeredIn[i] ?? 0) + 1;
          if (abandoned && queueMs <= x * 1000) acc.abandonedIn[i] = (acc.abandonedIn[i] ?? 0) + 1;
        });
        if (handled) {
          acc.answeredFromQueue++;
          acc.queueAnswerMs += queueMs;
        }
      }
      if (isIncoming) acc.incoming++;
      if (m === 'CALLBACK') acc.callback++;
      if (m === 'API') acc.api++;
      if (m === 'TRANSFER' || m === 'QUEUE_TRANSFER') acc.transferredIn++;
      if (m === 'TRANSFER') acc.transferredInByAgent++;
      if (m === 'QUEUE_TRANSFER') acc.transferredInFromQueue++;
      if (abandoned) {
        acc.abandoned++;
        acc.abandonMs += queueMs;
      }
      if (a) {
        acc.handled++;
        if (isIncoming) acc.handledIncoming++;
        if (m === 'OUTBOUND') acc.handledOutbound++;
        if (m === 'CALLBACK') acc.handledCallback++;
        if (m === 'API') acc.handledApi++;
        acc.interactionMs += a.interactionSec * 1000;
        acc.holdMs += a.holdSec * 1000;
        acc.acwMs += a.acwSec * 1000;
        if (m === 'OUTBOUND') {
          acc.outboundInteractionMs += a.interactionSec * 1000;
          acc.outboundAcwMs += a.acwSec * 1000;
        }
        if (a.numberOfHolds > 0) acc.putOnHold++;
        if (r.disconnectReason === 'AGENT_DISCONNECT') acc.agentHungUp++;
        if (transferredByAgent) acc.transferredOutByAgent++;
        if (transferredByAgent && r.transferredTo === null) acc.transferredOutInternal++;
        if (r.transferredTo !== null) acc.transferredOutExternal++;
        if (r.endedOnHold && !transferredByAgent) {
          acc.holdDisconnected++;
          if (r.disconnectReason === 'AGENT_DISCONNECT') acc.holdAgentDisconnected++;
          if (r.disconnectReason === 'CUSTOMER_DISCONNECT') acc.holdCustomerDisconnected++;
        }
      }
    }
    if (movedOnByFlow) {
      if (next === 'CALLBACK') TruthBuilder.flowExit(rows, 'callback', queueMs, 1);
      else if (nextIsTransfer) TruthBuilder.flowExit(rows, 'transfer', queueMs, 1);
      if (next === undefined && r.nextContactId !== null) {
        // A later copy of the same record replaces the earlier one's wait (the simulator publishes unanswered contacts once).
        this.awaitingNext.set(r.contactId, { idx, rows, queueMs });
      }
    }
  }

  // ---------------- output ----------------

  /** Writes every interval ending at or before `watermarkMs`; nothing may be attributed to them afterwards. */
  flushBefore(watermarkMs: number): void {
    let hold = Number.POSITIVE_INFINITY;
    for (const w of this.awaitingNext.values()) if (w.idx < hold) hold = w.idx;
    while (this.nextToEmit <= this.lastIndex && this.nextToEmit < hold && (this.nextToEmit + 1) * INTERVAL_MS <= watermarkMs) {
      this.emit(this.nextToEmit);
      this.nextToEmit++;
    }
  }

  finish(): void {
    // Next contacts never recorded within the window: their predecessors stay counted as transfers, as the engine counts them.
    this.awaitingNext.clear();
    this.flushBefore(Number.POSITIVE_INFINITY);
    if (this.open.size > 0) throw new Error('Truth: contributions outside the simulated window');
  }

  private emit(idx: number): void {
    const iv = this.open.get(idx);
    this.open.delete(idx);
    const groups = { QUEUE: {}, AGENT: {}, ROUTING_PROFILE: {} } as Record<TruthGrouping, Record<string, MetricValues>>;
    if (iv) {
      for (const g of TRUTH_GROUPINGS) {
        const ids = TRUTH_METRIC_IDS[g];
        const out = groups[g];
        for (const arn of [...iv[g].keys()].sort()) {
          const acc = iv[g].get(arn);
          if (!acc || !acc.hasData()) continue;
          const values: MetricValues = {};
          for (const id of ids) {
            const f = METRIC_FNS.get(id);
            values[id] = f ? f(acc) : null;
          }
          out[arn] = values;
        }
      }
    }
    this.onInterval({ start: isoMillis(idx * INTERVAL_MS), groups });
  }
}

/** truth.json is written in pieces so long runs can stream it: header, one interval per line, sessions. */
export function truthHeader(meta: TruthMeta): string {
  const head = JSON.stringify({ seed: meta.seed, start: meta.start, end: meta.end, timeZone: meta.timeZone, agents: meta.agents });
  return `${head.slice(0, -1)},"intervals":[\n`;
}

export function truthIntervalJson(iv: TruthInterval, first: boolean): string {
  return (first ? '' : ',\n') + JSON.stringify(iv);
}

export function truthFooter(sessions: readonly TruthSession[]): string {
  return `\n],"sessions":[\n${sessions.map((s) => JSON.stringify(s)).join(',\n')}\n]}\n`;
}
