/**
 * The discrete-event simulation of the contact center. One clock (the event
 * queue) drives customers, queues, agents and their shifts; every happening
 * is turned at once into output lines (agent events, contact records) and
 * into truth contributions, so nothing but live contacts is kept in memory.
 *
 * Modelling rules worth knowing when reading the output (README.md beside
 * this file has the full list):
 * - Contact-level times are whole seconds; agent status changes (login,
 *   breaks, logout) carry milliseconds.
 * - One contact at a time per agent, voice or chat.
 * - Agent status changes and logout never happen while the agent has a
 *   contact in the snapshot (ringing, connected, ACW, missed or error): they
 *   wait until the contact is removed, then happen 0.3–2.5 s later. Routing
 *   pauses meanwhile (like NextAgentStatus in the CCP).
 * - No agent has two events at the same millisecond: every contact step
 *   lasts at least 1 s, an agent becomes routable at the first whole second
 *   strictly after it became idle, and heart beats yield to any other event.
 */
import { AgentEventJson } from './agent-event-json.js';
import type { AgentContactState, AgentEventType } from './agent-event-json.js';
import type { AgentDef, Center, Channel, QueueDef, RoutingProfileDef, StatusDef } from './center.js';
import type { CtrRecord, DisconnectReason, InitiationMethod } from './ctr-record.js';
import { ctrToJson } from './ctr-record.js';
import { EventQueue, Phase } from './event-queue.js';
import { Rng } from './prng.js';
import type { Shift, ShiftStep } from './shifts.js';
import { localDayNumber, nextShift } from './shifts.js';
import type { AgentActivityFlags, TruthBuilder, TruthSession } from './truth.js';
import { DAY_MS, HOUR_MS, INTERVAL_MS, MINUTE_MS, SECOND_MS, ZoneClock, ceilSecond, nextWholeSecondAfter } from './zone-clock.js';

/** Contact states of an offer still ringing. */
const OFFER_STATES: ReadonlySet<string> = new Set(['INCOMING', 'PENDING', 'CONNECTING']);

/** Contacts per on-shift agent-hour offered by all arrival streams together (tuned for ~75–85 % occupancy). */
const LOAD_PER_AGENT_HOUR = 10.5;
/** A heart beat follows 120 s without any other event of a logged-in agent. */
export const HEART_BEAT_MS = 120 * SECOND_MS;
/** An unanswered offer turns MISSED after this long. */
const RING_TIMEOUT_MS = 20 * SECOND_MS;
/** Longest after-contact work; bounds how late a truth contribution can arrive. */
const MAX_ACW_SEC = 600;
/** Truth intervals are written once the clock is this far past their end (longest ACW + ring + heart beat, with margin). */
const TRUTH_SLACK_MS = HOUR_MS;
/** Share of contacts whose record is published twice (earlier version, then the final one). */
const TWO_VERSION_P = 0.06;

/** Share of the offered load per inbound phone number (by its queue); API and outbound streams take the rest. */
const INBOUND_SHARES: Readonly<Record<string, number>> = { Sales: 0.25, Support: 0.28, Billing: 0.19, Premium: 0.09 };

type ExitKind = 'abandon' | 'telecom' | 'callback' | 'queue-transfer';
type Ending = 'customer' | 'agent' | 'transfer' | 'external' | 'hold-disconnect';

interface Contact {
  readonly seq: number;
  readonly id: string;
  readonly method: InitiationMethod;
  readonly channel: Channel;
  readonly initiationMs: number;
  initialId: string | null;
  previousId: string | null;
  nextId: string | null;
  queue: QueueDef | null;
  customer: string | null;
  system: string | null;
  connectedToSystemMs: number | null;
  enqueueMs: number | null;
  dequeueMs: number | null;
  phase: 'flow' | 'waiting' | 'ringing' | 'connected' | 'done';
  attempts: number;
  missedBy: Set<number> | null;
  exitGen: number;
  exitKind: ExitKind;
  patienceEndMs: number;
  ringEndMs: number;
  agent: Agent | null;
  connectedMs: number | null;
  holds: number;
  holdMs: number;
  longestHoldMs: number;
  holdStartMs: number;
  disconnectMs: number;
  reason: DisconnectReason;
  acwStartMs: number | null;
  acwEndMs: number | null;
  transferredTo: string | null;
  transferCompletedMs: number | null;
  versions: 'single' | 'early-in-order' | 'early-late';
  earlyWithoutHolds: boolean;
  /** The agent's snapshot showed it going from CONNECTED_ONHOLD to ENDED (a hold disconnect, or a transfer made on hold). */
  endedOnHold: boolean;
}

interface Leg {
  readonly contact: Contact;
  state: AgentContactState;
  stateStartMs: number;
  json: string;
}

type Pending = { readonly kind: 'status'; readonly step: ShiftStep } | { readonly kind: 'available' } | { readonly kind: 'logout' };

interface MutableSession {
  readonly agentArn: string;
  readonly username: string;
  readonly loginMs: number;
  logoutMs: number | null;
}

interface Agent {
  readonly def: AgentDef;
  loggedIn: boolean;
  status: StatusDef;
  statusJson: string;
  leg: Leg | null;
  pending: Pending | null;
  free: boolean;
  readySinceMs: number;
  readyGen: number;
  hbGen: number;
  snapshot: string;
  spanStartMs: number;
  shift: Shift | null;
  nextStep: number;
  nextDay: number;
}

export interface SimulationConfig {
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly timeZone: string;
}

export interface SimulationOutput {
  agentEvent(line: string): void;
  ctr(line: string): void;
  /** Called at every simulated day boundary (for progress reporting). */
  progress?(simMs: number): void;
}

export interface SimulationStats {
  /** Contacts whose final record was written, by initiation method. */
  readonly contactsByMethod: Record<InitiationMethod, number>;
  readonly ctrLines: number;
  readonly agentEvents: number;
  readonly sessions: TruthSession[];
}

const METHODS: readonly InitiationMethod[] = ['INBOUND', 'OUTBOUND', 'TRANSFER', 'QUEUE_TRANSFER', 'CALLBACK', 'API'];

export class Simulation {
  private readonly clock = new EventQueue();
  private readonly zone: ZoneClock;
  private readonly json: AgentEventJson;
  private readonly arrivals: Rng;
  private readonly behaviour: Rng;
  private readonly ids: Rng;
  private readonly agents: Agent[];
  /** Waiting contacts per queue, oldest first. */
  private readonly waiting: Contact[][];
  /** Routable idle agents per routing profile, in the order they became routable (longest idle first). */
  private readonly free: Map<number, Agent>[];
  /** Profiles serving each queue. */
  private readonly servers: { readonly profile: RoutingProfileDef; readonly channels: readonly Channel[] }[][];
  private readonly pendingEarly = new Map<string, CtrRecord>();
  private readonly lateCopies = new Map<string, string>();
  private readonly sessions: MutableSession[] = [];
  private readonly contactsByMethod = Object.fromEntries(METHODS.map((m) => [m, 0])) as Record<InitiationMethod, number>;
  private ctrLines = 0;
  private agentEvents = 0;
  private contactSeq = 0;
  private now = 0;
  // Agent events at the current millisecond, written in agent order when the clock moves on.
  private tieMs = Number.NEGATIVE_INFINITY;
  private tieBuffer: { readonly agent: number; readonly line: string }[] = [];

  constructor(
    private readonly center: Center,
    private readonly config: SimulationConfig,
    private readonly out: SimulationOutput,
    private readonly truth: TruthBuilder | null,
  ) {
    this.zone = new ZoneClock(config.timeZone);
    this.json = new AgentEventJson(center);
    this.arrivals = new Rng(config.seed, 3);
    this.behaviour = new Rng(config.seed, 4);
    this.ids = new Rng(config.seed, 5);
    this.waiting = center.queues.map(() => []);
    this.free = center.profiles.map(() => new Map());
    this.servers = center.queues.map((q) =>
      center.profiles.flatMap((p) => p.queues.filter((pq) => pq.queue === q).map((pq) => ({ profile: p, channels: pq.channels }))),
    );
    const offline = center.statuses.offline;
    this.agents = center.agents.map((def) => {
      const statusJson = this.json.status(offline, config.startMs);
      return {
        def,
        loggedIn: false,
        status: offline,
        statusJson,
        leg: null,
        pending: null,
        free: false,
        readySinceMs: 0,
        readyGen: 0,
        hbGen: 0,
        snapshot: this.json.snapshot(def.idx, statusJson, null),
        spanStartMs: config.startMs,
        shift: null,
        nextStep: 0,
        nextDay: localDayNumber(this.zone, config.startMs) - 1,
      };
    });
  }

  run(): SimulationStats {
    const { startMs, endMs } = this.config;
    for (const a of this.agents) this.planNextShift(a, startMs);
    this.startArrivalStreams();
    for (let t = Math.ceil(startMs / DAY_MS) * DAY_MS; t < endMs; t += DAY_MS) {
      const at = t;
      this.clock.schedule(at, Phase.Housekeeping, () => this.out.progress?.(at));
    }
    if (this.truth) {
      const truth = this.truth;
      for (let t = (Math.floor(startMs / INTERVAL_MS) + 1) * INTERVAL_MS; t < endMs; t += INTERVAL_MS) {
        const at = t;
        this.clock.schedule(at, Phase.Housekeeping, () => truth.flushBefore(at - TRUTH_SLACK_MS));
      }
    }

    while (this.clock.peekTime() < endMs) {
      const e = this.clock.pop();
      if (!e) break;
      this.now = e.t;
      e.run();
    }
    this.flushTies();
    // Out-of-order copies due after the window are still delivered: they exist, only later.
    for (const line of this.lateCopies.values()) this.writeCtr(line);
    this.lateCopies.clear();
    if (this.truth) {
      // An earlier version whose final version never came within the window is the latest one a consumer has.
      for (const r of this.pendingEarly.values()) this.truth.contactRecord(r);
      this.truth.finish();
    }
    return {
      contactsByMethod: this.contactsByMethod,
      ctrLines: this.ctrLines,
      agentEvents: this.agentEvents,
      sessions: this.sessions.map((s) => ({ agentArn: s.agentArn, username: s.username, loginMs: s.loginMs, logoutMs: s.logoutMs })),
    };
  }

  // =====================================================================
  // Arrivals
  // =====================================================================

  /** Expected agents on shift per local hour (days off included), overall and for outbound-dialling profiles. */
  private staffing(filter: (a: AgentDef) => boolean): number[] {
    const curve = new Array<number>(24).fill(0);
    for (const a of this.center.agents) {
      if (!filter(a)) continue;
      const { startMinute, lengthMin } = a.shift;
      for (let m = 0; m < lengthMin; m++) {
        const hour = Math.floor(((startMinute + m) % 1440) / 60);
        curve[hour] = (curve[hour] ?? 0) + 5 / 7 / 60;
      }
    }
    return curve;
  }

  private startArrivalStreams(): void {
    const all = this.staffing(() => true);
    const Q = (name: string): QueueDef => {
      const q = this.center.queueByName.get(name);
      if (!q) throw new Error(`No queue ${name}`);
      return q;
    };
    for (const pn of this.center.phoneNumbers) {
      const share = INBOUND_SHARES[pn.queue.name] ?? 0.05;
      this.stream(share, all, (t) => this.inboundCall(t, pn.number, pn.queue));
    }
    this.stream(0.06, all, (t) => this.apiChat(t, Q('Support')));
    this.stream(0.02, all, (t) => this.apiVoice(t, Q('Sales')));
    this.stream(0.11, all, (t) => this.outboundAttempt(t));
  }

  /**
   * A Poisson process whose rate follows the local hour (constant within a
   * 15-minute UTC block, where the local hour cannot change). Arrivals land
   * on whole seconds.
   */
  private stream(share: number, staffed: readonly number[], arrive: (t: number) => void): void {
    const endMs = this.config.endMs;
    const next = (from: number): void => {
      let t = from;
      while (t < endMs) {
        const block = Math.floor(t / INTERVAL_MS);
        const blockEnd = (block + 1) * INTERVAL_MS;
        const perMs = (share * LOAD_PER_AGENT_HOUR * (staffed[this.zone.localHour(block * INTERVAL_MS)] ?? 0)) / HOUR_MS;
        if (perMs > 0) {
          const cand = t + this.arrivals.exp(1 / perMs);
          if (cand < blockEnd) {
            const at = ceilSecond(cand);
            if (at >= endMs) return;
            this.clock.schedule(at, Phase.Arrival, () => {
              arrive(at);
              next(cand);
            });
            return;
          }
        }
        t = blockEnd;
      }
    };
    next(this.config.startMs);
  }

  private newContact(method: InitiationMethod, channel: Channel, t: number, previous: Contact | null = null): Contact {
    const c: Contact = {
      seq: this.contactSeq++,
      id: this.ids.uuid(),
      method,
      channel,
      initiationMs: t,
      initialId: previous ? (previous.initialId ?? previous.id) : null,
      previousId: previous ? previous.id : null,
      nextId: null,
      queue: null,
      customer: previous ? previous.customer : null,
      system: previous ? previous.system : null,
      connectedToSystemMs: null,
      enqueueMs: null,
      dequeueMs: null,
      phase: 'flow',
      attempts: 0,
      missedBy: null,
      exitGen: 0,
      exitKind: 'abandon',
      patienceEndMs: 0,
      ringEndMs: 0,
      agent: null,
      connectedMs: null,
      holds: 0,
      holdMs: 0,
      longestHoldMs: 0,
      holdStartMs: 0,
      disconnectMs: 0,
      reason: 'CUSTOMER_DISCONNECT',
      acwStartMs: null,
      acwEndMs: null,
      transferredTo: null,
      transferCompletedMs: null,
      versions: 'single',
      earlyWithoutHolds: false,
      endedOnHold: false,
    };
    if (previous) previous.nextId = c.id;
    return c;
  }

  private secs(lo: number, hi: number): number {
    return this.behaviour.int(lo, hi) * SECOND_MS;
  }

  private inboundCall(t: number, dialled: string, queue: QueueDef): void {
    const c = this.newContact('INBOUND', 'VOICE', t);
    c.customer = this.behaviour.phoneNumber();
    c.system = dialled;
    c.connectedToSystemMs = t;
    if (this.behaviour.chance(0.02)) {
      // Served or dropped by the inbound flow: never queued, no agent.
      const reason: DisconnectReason = this.behaviour.chance(0.6) ? 'CUSTOMER_DISCONNECT' : 'CONTACT_FLOW_DISCONNECT';
      this.clock.schedule(t + this.secs(10, 90), Phase.QueueExit, () => this.finishWithoutAgent(c, reason));
      return;
    }
    this.clock.schedule(t + this.secs(4, 30), Phase.Arrival, () => this.enqueue(c, queue));
  }

  private apiChat(t: number, queue: QueueDef): void {
    const c = this.newContact('API', 'CHAT', t);
    c.connectedToSystemMs = t;
    this.clock.schedule(t + this.secs(1, 4), Phase.Arrival, () => this.enqueue(c, queue));
  }

  private apiVoice(t: number, queue: QueueDef): void {
    // StartOutboundVoiceContact into a queue: the customer is called first, then queued for an agent.
    const c = this.newContact('API', 'VOICE', t);
    c.customer = this.behaviour.phoneNumber();
    c.system = queue.callerId;
    const answered = t + this.secs(5, 20);
    c.connectedToSystemMs = answered;
    this.clock.schedule(answered + this.secs(1, 3), Phase.Arrival, () => this.enqueue(c, queue));
  }

  // =====================================================================
  // Queues
  // =====================================================================

  private enqueue(c: Contact, q: QueueDef): void {
    const t = this.now;
    c.queue = q;
    c.enqueueMs = t;
    c.phase = 'waiting';
    this.insertWaiting(c);
    if (c.method !== 'CALLBACK') this.planQueueExit(c, q, t);
    this.routeContact(c);
  }

  /** The first thing that takes the customer out of the queue without an agent, if nobody answers before. */
  private planQueueExit(c: Contact, q: QueueDef, t: number): void {
    const rng = this.behaviour;
    if (c.patienceEndMs <= t) {
      const mean = c.channel === 'CHAT' ? q.patienceMeanSec * 1.5 : q.patienceMeanSec;
      c.patienceEndMs = t + Math.max(1, Math.round(rng.exp(mean))) * SECOND_MS;
    }
    let at = c.patienceEndMs;
    let kind: ExitKind = 'abandon';
    if (c.channel === 'VOICE' && c.method !== 'API' && rng.chance(0.02)) {
      // Carrier trouble early in the queue; it only shows when nobody answered before.
      const tp = t + this.secs(1, 15);
      if (tp < at) {
        at = tp;
        kind = 'telecom';
      }
    }
    if (c.method === 'INBOUND' && q.callbackOfferAfterSec !== null) {
      const offer = t + q.callbackOfferAfterSec * SECOND_MS;
      if (offer < at && rng.chance(q.callbackAcceptP)) {
        at = offer + this.secs(5, 20);
        kind = 'callback';
      }
    }
    if (c.method === 'INBOUND' && q.overflow) {
      const move = t + q.overflow.afterSec * SECOND_MS;
      if (move < at && rng.chance(q.overflow.p)) {
        at = move;
        kind = 'queue-transfer';
      }
    }
    c.exitKind = kind;
    const gen = ++c.exitGen;
    this.clock.schedule(at, Phase.QueueExit, () => this.queueExit(c, gen));
  }

  private queueExit(c: Contact, gen: number): void {
    if (gen !== c.exitGen || c.phase === 'done' || c.phase === 'connected') return;
    if (c.phase === 'ringing') {
      // The customer stays on the line while an agent is being offered the contact; decide when the offer resolves.
      this.clock.schedule(c.ringEndMs, Phase.QueueExit, () => this.queueExit(c, gen));
      return;
    }
    const t = this.now;
    const q = c.queue;
    if (!q) return;
    this.removeWaiting(c);
    c.dequeueMs = t;
    switch (c.exitKind) {
      case 'abandon':
        // Every other API contact nobody answered in time is ended by the API (StopContact): no disconnect reason, not an abandon.
        this.finishWithoutAgent(c, c.method === 'API' && c.seq % 2 === 0 ? null : 'CUSTOMER_DISCONNECT');
        return;
      case 'telecom':
        this.finishWithoutAgent(c, 'TELECOM_PROBLEM');
        return;
      case 'callback': {
        const cb = this.newContact('CALLBACK', 'VOICE', t, c);
        // Every other callback is queued back into the queue the customer waited in, the others in the Callback queue.
        const cbQueue = c.seq % 2 === 0 ? q : this.center.queueByName.get('Callback');
        if (!cbQueue) throw new Error('No Callback queue');
        cb.system = cbQueue.callerId;
        this.finishWithoutAgent(c, 'CONTACT_FLOW_DISCONNECT');
        // Initial delay of the callback before it is queued for an agent.
        this.clock.schedule(t + this.secs(30, 180), Phase.Arrival, () => this.enqueue(cb, cbQueue));
        return;
      }
      case 'queue-transfer': {
        const target = q.overflow ? this.center.queueByName.get(q.overflow.toQueue) : undefined;
        if (!target) throw new Error(`No overflow queue for ${q.name}`);
        const moved = this.newContact('QUEUE_TRANSFER', c.channel, t, c);
        moved.connectedToSystemMs = t;
        moved.patienceEndMs = t + SECOND_MS + Math.max(SECOND_MS, c.patienceEndMs - t);
        this.finishWithoutAgent(c, 'CONTACT_FLOW_DISCONNECT');
        this.clock.schedule(t + SECOND_MS, Phase.Arrival, () => this.enqueue(moved, target));
        return;
      }
    }
  }

  private finishWithoutAgent(c: Contact, reason: DisconnectReason): void {
    c.disconnectMs = this.now;
    c.reason = reason;
    c.phase = 'done';
    this.complete(c);
  }

  private insertWaiting(c: Contact): void {
    const q = c.queue;
    if (!q || c.enqueueMs === null) return;
    const list = this.waiting[q.idx];
    if (!list) return;
    // Keep oldest first; a contact coming back after a missed offer keeps its place.
    let i = list.length;
    while (i > 0) {
      const prev = list[i - 1];
      if (!prev || prev.enqueueMs === null || prev.enqueueMs < c.enqueueMs || (prev.enqueueMs === c.enqueueMs && prev.seq < c.seq)) break;
      i--;
    }
    list.splice(i, 0, c);
  }

  private removeWaiting(c: Contact): void {
    const list = c.queue ? this.waiting[c.queue.idx] : undefined;
    if (!list) return;
    const i = list.indexOf(c);
    if (i >= 0) list.splice(i, 1);
  }

  // =====================================================================
  // Routing
  // =====================================================================

  /** Offers a waiting contact to the longest-idle routable agent that can take it. */
  private routeContact(c: Contact): void {
    if (c.phase !== 'waiting' || !c.queue) return;
    let best: Agent | null = null;
    for (const s of this.servers[c.queue.idx] ?? []) {
      if (!s.channels.includes(c.channel)) continue;
      for (const a of (this.free[s.profile.idx] ?? new Map<number, Agent>()).values()) {
        if (c.missedBy?.has(a.def.idx)) continue;
        if (!best || a.readySinceMs < best.readySinceMs || (a.readySinceMs === best.readySinceMs && a.def.idx < best.def.idx)) best = a;
        break;
      }
    }
    if (best) this.offer(c, best);
  }

  /** Gives a newly routable agent the oldest waiting contact of its routing profile's queues. */
  private routeAgent(a: Agent): void {
    let best: Contact | null = null;
    for (const pq of a.def.profile.queues) {
      for (const c of this.waiting[pq.queue.idx] ?? []) {
        if (!pq.channels.includes(c.channel) || c.missedBy?.has(a.def.idx)) continue;
        if (!best || (c.enqueueMs ?? 0) < (best.enqueueMs ?? 0) || (c.enqueueMs === best.enqueueMs && c.seq < best.seq)) best = c;
        break;
      }
    }
    if (best) this.offer(best, a);
  }

  private setFree(a: Agent, free: boolean): void {
    if (a.free === free) return;
    a.free = free;
    const set = this.free[a.def.profile.idx];
    if (!set) return;
    if (free) {
      a.readySinceMs = this.now;
      set.set(a.def.idx, a);
    } else {
      set.delete(a.def.idx);
    }
  }

  /** After a contact is removed, a status change or login: apply what is pending, or become routable at the next whole second. */
  private becomeIdle(a: Agent): void {
    const t = this.now;
    if (a.pending) {
      const pending = a.pending;
      this.clock.schedule(t + this.behaviour.int(300, 2500), Phase.AgentSchedule, () => this.applyPending(a, pending));
      return;
    }
    if (a.status.type !== 'ROUTABLE') return;
    const gen = ++a.readyGen;
    this.clock.schedule(nextWholeSecondAfter(t), Phase.AgentReady, () => {
      if (gen !== a.readyGen || !a.loggedIn || a.leg || a.pending || a.status.type !== 'ROUTABLE') return;
      this.setFree(a, true);
      this.routeAgent(a);
    });
  }

  // =====================================================================
  // Offers and conversations
  // =====================================================================

  private contactJson(c: Contact, state: AgentContactState, t: number): string {
    const q = c.queue;
    return this.json.contact({
      contactId: c.id,
      initialContactId: c.initialId,
      channel: c.channel,
      initiationMethod: c.method,
      state,
      stateStartMs: t,
      connectedToAgentMs: c.connectedMs,
      queueMs: c.enqueueMs,
      queueArn: q ? q.arn : '',
      queueName: q ? q.name : '',
    });
  }

  /** Moves the agent's contact to a new state: one STATE_CHANGE and the truth's contact-level bookkeeping. */
  private legState(a: Agent, state: AgentContactState): void {
    const leg = a.leg;
    if (!leg) throw new Error('legState without a contact');
    const t = this.now;
    const c = leg.contact;
    const queueArn = c.queue ? c.queue.arn : null;
    if (leg.state === 'CONNECTED_ONHOLD' && state === 'ENDED') c.endedOnHold = true;
    if (this.truth) {
      if (leg.state === 'CONNECTING' && state !== 'CONNECTING') this.truth.connectingEnded(a.def, queueArn, c.method, leg.stateStartMs, t);
      if (leg.state === 'CONNECTED_ONHOLD' && state === 'ENDED') this.truth.contactHoldDisconnect(a.def, queueArn, t);
      if (state === 'MISSED') this.truth.contactMissed(a.def, queueArn, t);
      if (state === 'CONNECTED' && (leg.state === 'CONNECTING' || leg.state === 'INCOMING')) this.truth.contactAnswered(a.def, queueArn, t);
      // An offer counts as routed when it resolves (answered, missed, error), so answered ≤ routed in every interval.
      if (OFFER_STATES.has(leg.state) && !OFFER_STATES.has(state)) this.truth.contactRouted(a.def, queueArn, t);
      this.truth.contactStateChange(a.def, queueArn, t);
    }
    this.change(a, 'STATE_CHANGE', () => {
      leg.state = state;
      leg.stateStartMs = t;
      leg.json = this.contactJson(c, state, t);
    });
  }

  private offer(c: Contact, a: Agent): void {
    const t = this.now;
    const rng = this.behaviour;
    this.setFree(a, false);
    this.removeWaiting(c);
    c.phase = 'ringing';
    c.attempts++;
    const first: AgentContactState = c.method === 'CALLBACK' ? 'INCOMING' : 'CONNECTING';
    this.attach(a, c, first);

    const r = rng.float();
    const missP = c.channel === 'CHAT' ? 0.02 : 0.03;
    if (r < 0.004) {
      c.ringEndMs = t + this.secs(1, 4);
      this.clock.schedule(c.ringEndMs, Phase.ContactProgress, () => this.offerFailed(a, c, 'ERROR'));
    } else if (r < 0.004 + missP) {
      c.ringEndMs = t + RING_TIMEOUT_MS;
      this.clock.schedule(c.ringEndMs, Phase.ContactProgress, () => this.offerFailed(a, c, 'MISSED'));
    } else if (c.method === 'CALLBACK') {
      // The agent accepts the callback (INCOMING), then Amazon Connect dials the customer (CONNECTING).
      const accepted = t + this.secs(2, 8);
      c.ringEndMs = accepted + this.secs(5, 20);
      this.clock.schedule(accepted, Phase.ContactProgress, () => this.legState(a, 'CONNECTING'));
      this.clock.schedule(c.ringEndMs, Phase.ContactProgress, () => this.answer(a, c));
    } else {
      c.ringEndMs = t + (c.channel === 'CHAT' ? this.secs(2, 12) : this.secs(2, 8));
      this.clock.schedule(c.ringEndMs, Phase.ContactProgress, () => this.answer(a, c));
    }
  }

  /** The contact appears in the agent's snapshot (an offer: routed). */
  private attach(a: Agent, c: Contact, state: AgentContactState): void {
    const t = this.now;
    const queueArn = c.queue ? c.queue.arn : null;
    if (this.truth) this.truth.contactStateChange(a.def, queueArn, t);
    this.change(a, 'STATE_CHANGE', () => {
      a.leg = { contact: c, state, stateStartMs: t, json: this.contactJson(c, state, t) };
    });
  }

  /** The contact leaves the agent's snapshot (missed/error cleared, or ACW done). */
  private detach(a: Agent): void {
    const leg = a.leg;
    if (!leg) return;
    const t = this.now;
    const c = leg.contact;
    const queueArn = c.queue ? c.queue.arn : null;
    if (this.truth) {
      if (leg.state === 'ENDED') this.truth.acwEnded(a.def, queueArn, leg.stateStartMs, t);
      if (OFFER_STATES.has(leg.state)) this.truth.contactRouted(a.def, queueArn, t);
      this.truth.contactStateChange(a.def, queueArn, t);
    }
    this.change(a, 'STATE_CHANGE', () => {
      a.leg = null;
    });
    this.becomeIdle(a);
  }

  private offerFailed(a: Agent, c: Contact, state: 'MISSED' | 'ERROR'): void {
    this.legState(a, state);
    (c.missedBy ??= new Set()).add(a.def.idx);
    // The customer never left the queue: the contact is routable again at once (to another agent).
    c.phase = 'waiting';
    this.insertWaiting(c);
    this.routeContact(c);
    this.clock.schedule(this.now + this.secs(2, 8), Phase.ContactProgress, () => this.detach(a));
  }

  private answer(a: Agent, c: Contact): void {
    const t = this.now;
    const rng = this.behaviour;
    c.phase = 'connected';
    c.exitGen++;
    c.agent = a;
    c.connectedMs = t;
    if (c.enqueueMs !== null) c.dequeueMs = t;
    if (c.method === 'CALLBACK' || c.method === 'OUTBOUND') c.connectedToSystemMs = t;
    this.legState(a, 'CONNECTED');

    // Plan the conversation: talk pieces separated by holds, then the ending.
    const voice = c.channel === 'VOICE';
    const talk = Math.round(voice ? rng.logNormal(150, 0.6, 15, 3600) : rng.logNormal(360, 0.5, 30, 3600));
    const nHolds = voice ? rng.weighted([0.72, 0.18, 0.07, 0.03]) : 0;
    const holdDisconnect = nHolds > 0 && rng.chance(0.06);
    let ending: Ending;
    if (holdDisconnect) ending = 'hold-disconnect';
    else {
      const r = rng.float();
      if (voice && r < 0.04) ending = 'transfer';
      else if (voice && r < 0.055) ending = 'external';
      else if (r < (voice ? 0.4 : 0.5)) ending = 'agent';
      else ending = 'customer';
    }
    // Every other transfer of a call that was put on hold is made while the customer is on hold (no extra random draw).
    const endsOnHold = holdDisconnect || (ending === 'transfer' && nHolds > 0 && c.seq % 2 === 0);
    const pieces = endsOnHold ? nHolds : nHolds + 1;
    let remaining = Math.max(talk, 3 * pieces);
    let at = t;
    for (let i = 0; i < nHolds; i++) {
      const piece = i === pieces - 1 ? remaining : Math.max(3, Math.round((remaining / (pieces - i)) * (0.5 + rng.float())));
      remaining = Math.max(3 * (pieces - i - 1), remaining - piece);
      at += piece * SECOND_MS;
      this.clock.schedule(at, Phase.ContactProgress, () => this.hold(a, c));
      at += Math.round(rng.logNormal(35, 0.7, 5, 600)) * SECOND_MS;
      if (i === nHolds - 1 && endsOnHold) break;
      this.clock.schedule(at, Phase.ContactProgress, () => this.resume(a, c));
    }
    if (!endsOnHold) at += remaining * SECOND_MS;
    this.clock.schedule(at, Phase.ContactProgress, () => this.endConversation(a, c, ending));
  }

  private hold(a: Agent, c: Contact): void {
    c.holds++;
    c.holdStartMs = this.now;
    this.legState(a, 'CONNECTED_ONHOLD');
  }

  private resume(a: Agent, c: Contact): void {
    this.closeHold(c);
    this.legState(a, 'CONNECTED');
  }

  private closeHold(c: Contact): void {
    const d = this.now - c.holdStartMs;
    c.holdMs += d;
    if (d > c.longestHoldMs) c.longestHoldMs = d;
  }

  private endConversation(a: Agent, c: Contact, ending: Ending): void {
    const t = this.now;
    const rng = this.behaviour;
    // A call that ends on hold (a hold disconnect, or a transfer made on hold) closes its last hold now.
    if (a.leg?.state === 'CONNECTED_ONHOLD') this.closeHold(c);
    c.disconnectMs = t;
    // A hold disconnect: usually the customer hangs up on hold; every third time the agent does (no extra random draw).
    c.reason = ending === 'customer' || (ending === 'hold-disconnect' && c.seq % 3 !== 0) ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT';
    if (ending === 'external') {
      c.transferredTo = rng.pick(this.center.externalNumbers);
      c.transferCompletedMs = t;
    }
    if (ending === 'transfer') {
      const from = c.queue;
      const targets = this.center.queues.filter((q) => q.kind === 'inbound' && q !== from);
      const target = rng.pick(targets);
      const next = this.newContact('TRANSFER', c.channel, t, c);
      next.connectedToSystemMs = t;
      this.clock.schedule(t + this.secs(2, 6), Phase.Arrival, () => this.enqueue(next, target));
    }
    c.acwStartMs = t;
    const acwSec = Math.round(c.channel === 'CHAT' ? rng.logNormal(15, 0.6, 3, MAX_ACW_SEC) : rng.logNormal(25, 0.7, 3, MAX_ACW_SEC));
    this.legState(a, 'ENDED');

    if (rng.chance(TWO_VERSION_P)) {
      c.versions = rng.chance(1 / 3) ? 'early-late' : 'early-in-order';
      c.earlyWithoutHolds = c.holds > 0 && rng.chance(0.5);
      if (c.versions === 'early-in-order') {
        // Published at disconnect, before ACW is known; the final version replaces it.
        const early = this.record(c, true, t);
        this.pendingEarly.set(c.id, early);
        this.writeCtr(ctrToJson(this.center, early));
      }
    }
    this.clock.schedule(t + acwSec * SECOND_MS, Phase.ContactProgress, () => {
      c.acwEndMs = this.now;
      c.phase = 'done';
      this.detach(a);
      this.complete(c);
    });
  }

  // =====================================================================
  // Outbound
  // =====================================================================

  private outboundAttempt(t: number): void {
    let best: Agent | null = null;
    for (const p of this.center.profiles) {
      if (!p.dialsOutbound) continue;
      for (const a of (this.free[p.idx] ?? new Map<number, Agent>()).values()) {
        if (!best || a.readySinceMs < best.readySinceMs || (a.readySinceMs === best.readySinceMs && a.def.idx < best.def.idx)) best = a;
        break;
      }
    }
    if (best) this.dial(best, t);
  }

  /** The agent dials a customer: CONNECTING until the customer answers. Queue = default outbound queue, never queued. */
  private dial(a: Agent, t: number): void {
    const c = this.newContact('OUTBOUND', 'VOICE', t);
    c.queue = a.def.profile.outboundQueue;
    c.customer = this.behaviour.phoneNumber();
    c.system = c.queue.callerId;
    c.phase = 'ringing';
    c.attempts = 1;
    this.setFree(a, false);
    this.attach(a, c, 'CONNECTING');
    c.ringEndMs = t + this.secs(6, 25);
    this.clock.schedule(c.ringEndMs, Phase.ContactProgress, () => this.answer(a, c));
  }

  // =====================================================================
  // Agents: shifts, statuses, events
  // =====================================================================

  private planNextShift(a: Agent, afterMs: number): void {
    const found = nextShift(this.center, this.zone, this.config.seed, a.def, a.nextDay, afterMs, this.config.endMs);
    if (!found || found.shift.loginMs >= this.config.endMs) return;
    a.nextDay = found.day + 1;
    const shift = found.shift;
    this.clock.schedule(shift.loginMs, Phase.AgentSchedule, () => this.login(a, shift));
  }

  private login(a: Agent, shift: Shift): void {
    const t = this.now;
    a.shift = shift;
    a.nextStep = 0;
    this.change(a, 'LOGIN', () => {
      a.loggedIn = true;
      a.status = this.center.statuses.available;
      a.statusJson = this.json.status(a.status, t);
    });
    this.sessions.push({ agentArn: a.def.arn, username: a.def.username, loginMs: t, logoutMs: null });
    this.becomeIdle(a);
    this.scheduleNextStep(a);
  }

  private scheduleNextStep(a: Agent): void {
    const shift = a.shift;
    if (!shift) return;
    const t = this.now;
    const step = shift.steps[a.nextStep];
    if (step) {
      a.nextStep++;
      this.clock.schedule(Math.max(step.plannedAtMs, t + SECOND_MS), Phase.AgentSchedule, () => this.startStep(a, step));
    } else {
      this.clock.schedule(Math.max(shift.logoutMs, t + this.behaviour.int(1000, 5000)), Phase.AgentSchedule, () => this.requestLogout(a));
    }
  }

  private startStep(a: Agent, step: ShiftStep): void {
    if (a.leg) {
      a.pending = { kind: 'status', step };
      return;
    }
    this.enterCustomStatus(a, step);
  }

  private enterCustomStatus(a: Agent, step: ShiftStep): void {
    const t = this.now;
    this.setStatus(a, step.status);
    const ends = t + step.durationMs;
    this.clock.schedule(ends, Phase.AgentSchedule, () => this.endStep(a));
    if (step.outboundCallAfterMs !== null) {
      const callAt = ceilSecond(t + step.outboundCallAfterMs);
      if (callAt < ends) {
        this.clock.schedule(callAt, Phase.Outbound, () => {
          // Agents may dial out while in a custom status: on contact, but not "Agent on contact time" (not Available).
          if (a.loggedIn && a.status === step.status && !a.leg && !a.pending) this.dial(a, this.now);
        });
      }
    }
  }

  private endStep(a: Agent): void {
    const shift = a.shift;
    const last = shift !== null && a.nextStep >= shift.steps.length;
    if (last && shift && this.now >= shift.logoutMs - MINUTE_MS) {
      // The shift is over: log out straight from the custom status.
      this.requestLogout(a);
      return;
    }
    if (a.leg) {
      a.pending = { kind: 'available' };
      return;
    }
    this.setStatus(a, this.center.statuses.available);
    this.scheduleNextStep(a);
  }

  private applyPending(a: Agent, pending: Pending): void {
    if (a.pending !== pending || a.leg || !a.loggedIn) return;
    a.pending = null;
    if (pending.kind === 'status') this.enterCustomStatus(a, pending.step);
    else if (pending.kind === 'available') {
      this.setStatus(a, this.center.statuses.available);
      this.scheduleNextStep(a);
    } else this.logout(a);
  }

  private requestLogout(a: Agent): void {
    if (!a.loggedIn) return;
    if (a.leg) {
      a.pending = { kind: 'logout' };
      return;
    }
    this.logout(a);
  }

  private setStatus(a: Agent, status: StatusDef): void {
    const t = this.now;
    this.setFree(a, false);
    this.change(a, 'STATE_CHANGE', () => {
      a.status = status;
      a.statusJson = this.json.status(status, t);
    });
    if (status.type === 'ROUTABLE') this.becomeIdle(a);
  }

  private logout(a: Agent): void {
    const t = this.now;
    this.setFree(a, false);
    a.readyGen++;
    this.change(a, 'LOGOUT', () => {
      a.loggedIn = false;
      a.status = this.center.statuses.offline;
      a.statusJson = this.json.status(a.status, t);
    });
    for (let i = this.sessions.length - 1; i >= 0; i--) {
      const s = this.sessions[i];
      if (s && s.agentArn === a.def.arn && s.logoutMs === null) {
        s.logoutMs = t;
        break;
      }
    }
    a.shift = null;
    this.planNextShift(a, t + MINUTE_MS);
  }

  private activityFlags(a: Agent): AgentActivityFlags {
    const type = a.status.type;
    const st = a.leg ? a.leg.state : null;
    const error = st === 'MISSED' || st === 'ERROR';
    return {
      online: a.loggedIn && type !== 'OFFLINE',
      npt: type === 'CUSTOM',
      idle: type === 'ROUTABLE' && (st === null || error),
      onContact: type === 'ROUTABLE' && (st === 'CONNECTED' || st === 'CONNECTED_ONHOLD' || st === 'ENDED'),
      error,
    };
  }

  /** Closes the agent's current stretch of timeline for the truth, applies `mutate`, emits the event. */
  private change(a: Agent, type: AgentEventType, mutate: () => void): void {
    const t = this.now;
    if (this.truth && a.loggedIn && t > a.spanStartMs) this.truth.agentSpan(a.def, a.spanStartMs, t, this.activityFlags(a));
    a.spanStartMs = t;
    mutate();
    this.emit(a, type);
  }

  private emit(a: Agent, type: AgentEventType): void {
    const t = this.now;
    const previous = a.snapshot;
    const current = type === 'HEART_BEAT' ? previous : this.json.snapshot(a.def.idx, a.statusJson, a.leg ? a.leg.json : null);
    a.snapshot = current;
    const line = this.json.event(a.def.idx, type, this.ids.uuid(), t, current, previous);
    if (t !== this.tieMs) {
      this.flushTies();
      this.tieMs = t;
    }
    this.tieBuffer.push({ agent: a.def.idx, line });
    if (a.loggedIn) {
      const gen = ++a.hbGen;
      this.clock.schedule(t + HEART_BEAT_MS, Phase.HeartBeat, () => {
        if (gen === a.hbGen && a.loggedIn) this.change(a, 'HEART_BEAT', () => undefined);
      });
    }
  }

  /** Writes the events of one millisecond ordered by agent, then by emission (sort is stable). */
  private flushTies(): void {
    const buf = this.tieBuffer;
    if (buf.length === 0) return;
    if (buf.length > 1) buf.sort((x, y) => x.agent - y.agent);
    for (const e of buf) this.out.agentEvent(e.line);
    this.agentEvents += buf.length;
    this.tieBuffer = [];
  }

  // =====================================================================
  // Contact records
  // =====================================================================

  /** The record as published at `lastUpdateMs`; `early` is the preliminary version of a twice-published record. */
  private record(c: Contact, early: boolean, lastUpdateMs: number): CtrRecord {
    const agent = c.agent;
    let agentPart: CtrRecord['agent'] = null;
    if (agent && c.connectedMs !== null) {
      const dropHolds = early && c.earlyWithoutHolds;
      const holdSec = dropHolds ? 0 : c.holdMs / SECOND_MS;
      const acwDone = !early && c.acwStartMs !== null && c.acwEndMs !== null;
      agentPart = {
        def: agent.def,
        connectedMs: c.connectedMs,
        interactionSec: (c.disconnectMs - c.connectedMs) / SECOND_MS - holdSec,
        holdSec,
        numberOfHolds: dropHolds ? 0 : c.holds,
        longestHoldSec: dropHolds ? 0 : c.longestHoldMs / SECOND_MS,
        acwSec: acwDone && c.acwEndMs !== null && c.acwStartMs !== null ? (c.acwEndMs - c.acwStartMs) / SECOND_MS : 0,
        acwStartMs: acwDone ? c.acwStartMs : null,
        acwEndMs: acwDone ? c.acwEndMs : null,
      };
    }
    let attributes: Record<string, string> = {};
    if (c.versions !== 'single') {
      attributes = early ? { CaseStatus: 'open' } : { CaseStatus: 'closed', WrapUpCode: c.seq % 2 === 0 ? 'RESOLVED' : 'FOLLOW_UP' };
    }
    return {
      contactId: c.id,
      initialContactId: c.initialId,
      previousContactId: c.previousId,
      nextContactId: c.nextId,
      channel: c.channel,
      initiationMethod: c.method,
      initiationMs: c.initiationMs,
      connectedToSystemMs: c.connectedToSystemMs,
      disconnectMs: c.disconnectMs,
      lastUpdateMs,
      disconnectReason: c.reason,
      agentConnectionAttempts: c.attempts,
      queue: c.queue ? { def: c.queue, enqueueMs: c.enqueueMs, dequeueMs: c.dequeueMs } : null,
      agent: agentPart,
      customerAddress: c.customer,
      systemAddress: c.system,
      transferredTo: c.transferredTo,
      transferCompletedMs: c.transferCompletedMs,
      attributes,
      endedOnHold: c.endedOnHold,
    };
  }

  /** The contact's record is complete (after ACW, or at disconnect when no agent took it): publish the final version. */
  private complete(c: Contact): void {
    const t = this.now;
    const final = this.record(c, false, t);
    this.writeCtr(ctrToJson(this.center, final));
    this.contactsByMethod[c.method]++;
    this.pendingEarly.delete(c.id);
    this.truth?.contactRecord(final);
    if (c.versions === 'early-late') {
      // Out-of-order delivery: the earlier version arrives after the final one.
      const line = ctrToJson(this.center, this.record(c, true, c.disconnectMs));
      this.lateCopies.set(c.id, line);
      this.clock.schedule(t + this.secs(5, 120), Phase.Housekeeping, () => {
        if (this.lateCopies.delete(c.id)) this.writeCtr(line);
      });
    }
  }

  private writeCtr(line: string): void {
    this.out.ctr(line);
    this.ctrLines++;
  }
}
