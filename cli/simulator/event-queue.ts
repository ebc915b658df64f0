/**
 * The simulator's clock: a binary min-heap of timed actions. Ties at the same
 * millisecond are broken by a priority class, then by scheduling order, so
 * simultaneous happenings always run in the same, documented order.
 */

/** Order of simultaneous actions (lower runs first). */
export const Phase = {
  /** A contact already with an agent moves on (ring outcome, hold, disconnect, ACW end, missed cleared). */
  ContactProgress: 0,
  /** A queued contact leaves the queue without an agent (abandon, callback, queue transfer, telecom problem). */
  QueueExit: 1,
  /** New contacts arrive or enter a queue. */
  Arrival: 2,
  /** Shift plan: login, breaks, logout. */
  AgentSchedule: 3,
  /** An idle agent becomes routable and takes the oldest waiting contact. */
  AgentReady: 4,
  /** Outbound dial attempts by idle agents. */
  Outbound: 5,
  /** Heart beats run last: any other event of the agent at the same instant makes them unnecessary. */
  HeartBeat: 6,
  /** Bookkeeping: delayed (out-of-order) record copies, truth flushing, progress. */
  Housekeeping: 7,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

interface Entry {
  readonly t: number;
  readonly phase: number;
  readonly seq: number;
  readonly run: () => void;
}

export class EventQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(t: number, phase: Phase, run: () => void): void {
    const e: Entry = { t, phase, seq: this.seq++, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p];
      if (!parent || !less(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }

  peekTime(): number {
    return this.heap[0]?.t ?? Number.POSITIVE_INFINITY;
  }

  pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const left = h[l];
      const right = h[r];
      let c = l;
      let child = left;
      if (right && left && less(right, left)) {
        c = r;
        child = right;
      }
      if (!child || !less(child, last)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  if (a.t !== b.t) return a.t < b.t;
  if (a.phase !== b.phase) return a.phase < b.phase;
  return a.seq < b.seq;
}
