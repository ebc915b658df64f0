/**
 * In queue, Oldest and Scheduled, from Amazon Connect contact events
 * (connect-docs/contact-events.md). Contact records arrive only after a
 * contact ends and agent events only see contacts offered to agents, so
 * neither can say what is waiting in a queue now; contact events can.
 *
 * Each contact's events are merged into one `ContactLifecycle`. A contact
 * moves forward through INITIATED → CONNECTED_TO_SYSTEM → QUEUED →
 * CONNECTED_TO_AGENT → DISCONNECTED (a transfer creates a new contact, with
 * its own id), so the merge keeps the furthest stage (the later event at equal
 * stages) and, field by field, every timestamp any event carried. The merge
 * is commutative, associative and idempotent: events "are not ordered" and
 * "emitted on a best effort basis", and whatever order and however many times
 * they arrive, the result is the same; an older event never overwrites a
 * newer state.
 *
 * - In queue ("Count of contacts currently in the queue"): contacts whose
 *   furthest stage is QUEUED.
 * - Oldest ("Length of time in the queue for the contact that has been in the
 *   queue the longest"): now − the earliest EnqueueTimestamp among them.
 * - Scheduled ("Count of customers in the queue for which there is a callback
 *   scheduled"; scheduled-vs-inqueue.md: "the callback has already been
 *   created, but it is not yet in queue because of the Initial delay"):
 *   CALLBACK contacts INITIATED (or CONNECTED_TO_SYSTEM) but not yet QUEUED.
 *   The queue is the event's queueInfo when it carries one; a scheduled
 *   callback without it counts in the summary row only.
 * Because events are best effort, a contact whose DISCONNECTED event was lost
 * would wait forever: a contact whose contact record says it disconnected
 * is not waiting after that, and nothing waits longer than
 * Amazon Connect allows a contact to live (7 days).
 */
import type { ContactEvent } from '../model/contact-event.js';

export const CONTACT_STAGES = ['INITIATED', 'CONNECTED_TO_SYSTEM', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED'] as const;
export type ContactStage = (typeof CONTACT_STAGES)[number];

/** "you can't have a contact that goes longer than 7 days" (real-time-metrics-definitions.md, custom service levels). */
export const MAX_CONTACT_AGE_MS = 7 * 24 * 3600 * 1000;

export interface ContactLifecycle {
  readonly contactId: string;
  readonly stage: ContactStage;
  /** Time of the event that set the stage. */
  readonly stageMs: number;
  readonly initiationMethod: string | null;
  readonly channel: string | null;
  readonly queueId: string | null;
  readonly initiationMs: number | null;
  readonly enqueueMs: number | null;
  readonly connectedToAgentMs: number | null;
  readonly disconnectMs: number | null;
}

const rank = (s: ContactStage): number => CONTACT_STAGES.indexOf(s);

export function isContactStage(s: string): s is ContactStage {
  return (CONTACT_STAGES as readonly string[]).includes(s);
}

/** The lifecycle one event states; null for an event type the model does not know (it cannot be ordered). */
export function lifecycleOf(e: ContactEvent): ContactLifecycle | null {
  if (!isContactStage(e.eventType)) return null;
  return {
    contactId: e.contactId,
    stage: e.eventType,
    stageMs: e.eventMs,
    initiationMethod: e.initiationMethod,
    channel: e.channel,
    queueId: e.queue?.id ?? null,
    initiationMs: e.initiationMs,
    enqueueMs: e.enqueueMs,
    connectedToAgentMs: e.connectedToAgentMs,
    disconnectMs: e.disconnectMs,
  };
}

/** Positive when `a` is further along than `b`: later stage, then later event time. */
export function compareProgress(a: Pick<ContactLifecycle, 'stage' | 'stageMs'>, b: Pick<ContactLifecycle, 'stage' | 'stageMs'>): number {
  return rank(a.stage) - rank(b.stage) || a.stageMs - b.stageMs;
}

/** Merges two views of one contact: the furthest stage wins; each field keeps the further view's value when it has one. */
export function mergeLifecycle(a: ContactLifecycle, b: ContactLifecycle): ContactLifecycle {
  const [hi, lo] = compareProgress(a, b) >= 0 ? [a, b] : [b, a];
  return {
    contactId: hi.contactId,
    stage: hi.stage,
    stageMs: hi.stageMs,
    initiationMethod: hi.initiationMethod ?? lo.initiationMethod,
    channel: hi.channel ?? lo.channel,
    queueId: hi.queueId ?? lo.queueId,
    initiationMs: hi.initiationMs ?? lo.initiationMs,
    enqueueMs: hi.enqueueMs ?? lo.enqueueMs,
    connectedToAgentMs: hi.connectedToAgentMs ?? lo.connectedToAgentMs,
    disconnectMs: hi.disconnectMs ?? lo.disconnectMs,
  };
}

export function sameLifecycle(a: ContactLifecycle, b: ContactLifecycle): boolean {
  return (
    a.stage === b.stage &&
    a.stageMs === b.stageMs &&
    a.initiationMethod === b.initiationMethod &&
    a.channel === b.channel &&
    a.queueId === b.queueId &&
    a.initiationMs === b.initiationMs &&
    a.enqueueMs === b.enqueueMs &&
    a.connectedToAgentMs === b.connectedToAgentMs &&
    a.disconnectMs === b.disconnectMs
  );
}

/** Still waiting for an agent (queued) or for its callback's initial delay (scheduled): the store indexes these. */
export function isOpen(l: ContactLifecycle): boolean {
  return l.stage === 'QUEUED' || (isScheduledStage(l.stage) && l.initiationMethod === 'CALLBACK');
}

function isScheduledStage(s: ContactStage): boolean {
  return s === 'INITIATED' || s === 'CONNECTED_TO_SYSTEM';
}

export interface QueueWaiting {
  inQueue: number;
  /** Earliest EnqueueTimestamp of the contacts in queue; null when none. */
  oldestEnqueueMs: number | null;
  scheduled: number;
}

export const emptyWaiting = (): QueueWaiting => ({ inQueue: 0, oldestEnqueueMs: null, scheduled: 0 });

/** Oldest in seconds at `nowMs`; null when nothing is in queue. */
export function oldestSeconds(w: QueueWaiting, nowMs: number): number | null {
  return w.oldestEnqueueMs === null ? null : Math.max(0, (nowMs - w.oldestEnqueueMs) / 1000);
}

export interface WaitingByQueue {
  readonly byQueue: ReadonlyMap<string, QueueWaiting>;
  readonly summary: QueueWaiting;
}

/**
 * What a contact was doing at an instant, from its merged lifecycle: in queue
 * from its EnqueueTimestamp until an agent took it or it ended; scheduled (a
 * callback) from its initiation until it was queued. Reading the timestamps,
 * not only the stage, gives the right answer at any instant the lifecycle has
 * seen, not just now.
 */
export function waitingAt(l: ContactLifecycle, atMs: number): 'queued' | 'scheduled' | null {
  const past = rank(l.stage) > rank('QUEUED');
  const leftMs = l.connectedToAgentMs ?? l.disconnectMs ?? (past ? l.stageMs : null);
  if (leftMs !== null && leftMs <= atMs) return null;
  const enqueuedMs = l.enqueueMs ?? (l.stage === 'QUEUED' ? l.stageMs : null);
  if (enqueuedMs !== null && enqueuedMs <= atMs) return atMs - enqueuedMs > MAX_CONTACT_AGE_MS ? null : 'queued';
  if (l.initiationMethod !== 'CALLBACK') return null;
  const initiatedMs = l.initiationMs ?? (isScheduledStage(l.stage) ? l.stageMs : null);
  if (initiatedMs === null || initiatedMs > atMs || atMs - initiatedMs > MAX_CONTACT_AGE_MS) return null;
  return 'scheduled';
}

/**
 * In queue, oldest and scheduled per queue at `atMs`. `disconnects` maps the
 * ids of contacts whose contact record exists to their DisconnectTimestamp.
 */
export function waitingByQueue(contacts: Iterable<ContactLifecycle>, atMs: number, disconnects: ReadonlyMap<string, number> = new Map()): WaitingByQueue {
  const byQueue = new Map<string, QueueWaiting>();
  const summary = emptyWaiting();
  const add = (w: QueueWaiting, l: ContactLifecycle, what: 'queued' | 'scheduled') => {
    if (what === 'scheduled') {
      w.scheduled++;
      return;
    }
    w.inQueue++;
    const enq = l.enqueueMs ?? l.stageMs;
    if (w.oldestEnqueueMs === null || enq < w.oldestEnqueueMs) w.oldestEnqueueMs = enq;
  };
  for (const l of contacts) {
    const ended = disconnects.get(l.contactId);
    if (ended !== undefined && ended <= atMs) continue;
    const what = waitingAt(l, atMs);
    if (what === null) continue;
    add(summary, l, what);
    if (l.queueId !== null) {
      let w = byQueue.get(l.queueId);
      if (!w) byQueue.set(l.queueId, (w = emptyWaiting()));
      add(w, l, what);
    }
  }
  return { byQueue, summary };
}
