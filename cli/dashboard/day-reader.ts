/**
 * A stored day held in memory behind the `MetricReader` port, so the real-time
 * publisher can be run at every minute of a past day (the local dashboard's
 * replay) with one read of the store instead of a few per minute.
 *
 * It answers contacts and timelines exactly as the store does for any range
 * inside what it loaded, and hands out the store's latest agent states: the
 * publisher rebuilds each agent's state at a past instant from the timeline
 * (domain/realtime/point-in-time.ts), as it would against the store.
 */
import type { AgentSession, TimelinePoint } from '../../lambdas/domain/engine/agent-activity.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import type { EntityCatalog, EntityInfo, EntityKey, EntityKind } from '../../lambdas/domain/engine/entities.js';
import { collect } from '../../lambdas/realtime/realtime-view.js';
import type { AgentState, DeadLetter, MetricReader, SourceName, StoredContact } from '../../lambdas/storage/metric-store.js';

export class RangeNotLoadedError extends Error {
  constructor(startMs: number, endMs: number, loaded: { startMs: number; endMs: number }) {
    super(`[${new Date(startMs).toISOString()}, ${new Date(endMs).toISOString()}) is outside the loaded range [${new Date(loaded.startMs).toISOString()}, ${new Date(loaded.endMs).toISOString()})`);
    this.name = 'RangeNotLoadedError';
  }
}

/** Index of the first element whose key is ≥ `v` (keys ascending). */
function lowerBound<T>(xs: readonly T[], v: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(xs[mid] as T) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class DayReader implements MetricReader {
  private constructor(
    private readonly store: MetricReader,
    readonly loaded: { readonly startMs: number; readonly endMs: number },
    private readonly catalog: EntityCatalog,
    private readonly states: AgentState[],
    private readonly contactList: StoredContact[],
    private readonly timelines: Map<string, TimelinePoint[]>,
  ) {}

  /** Loads [startMs, endMs): every contact disconnecting in it and every agent's timeline (with the point in force at the start). */
  static async load(store: MetricReader, startMs: number, endMs: number): Promise<DayReader> {
    const [catalog, states, contacts] = await Promise.all([store.entities(), store.agentStates(), collect(store.contacts(startMs, endMs))]);
    const timelines = new Map<string, TimelinePoint[]>();
    for (const s of states) timelines.set(s.agentArn, await store.timeline(s.agentArn, startMs, endMs));
    contacts.sort((a, b) => a.disconnectMs - b.disconnectMs);
    return new DayReader(store, { startMs, endMs }, catalog, states, contacts, timelines);
  }

  private check(startMs: number, endMs: number): void {
    if (startMs < this.loaded.startMs || endMs > this.loaded.endMs) throw new RangeNotLoadedError(startMs, endMs, this.loaded);
  }

  /** Contacts in [startMs, endMs) as far as loaded: a range running past the loaded end is cut there (look-ahead reads). */
  async *contacts(startMs: number, endMs: number): AsyncGenerator<StoredContact> {
    this.check(startMs, Math.min(endMs, this.loaded.endMs));
    const key = (c: StoredContact) => c.disconnectMs;
    for (let i = lowerBound(this.contactList, startMs, key); i < this.contactList.length; i++) {
      const c = this.contactList[i] as StoredContact;
      if (c.disconnectMs >= endMs) break;
      yield c;
    }
  }

  async timeline(agentArn: string, startMs: number, endMs: number): Promise<TimelinePoint[]> {
    this.check(startMs, endMs);
    const pts = this.timelines.get(agentArn) ?? [];
    const key = (p: TimelinePoint) => p.eventMs;
    const from = lowerBound(pts, startMs, key);
    const to = lowerBound(pts, endMs, key);
    const carry = from > 0 ? pts[from - 1] : undefined;
    return [...(carry ? [carry] : []), ...pts.slice(from, to)];
  }

  async agentStates(): Promise<AgentState[]> {
    return this.states;
  }

  async agentStatesOf(agentArns: Iterable<string>): Promise<AgentState[]> {
    const want = new Set(agentArns);
    return this.states.filter((s) => want.has(s.agentArn));
  }

  async entities(): Promise<EntityCatalog> {
    return this.catalog;
  }

  async entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]> {
    return this.catalog.entitiesOf(keys);
  }

  async entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]> {
    return this.catalog.entitiesNamed(kind, values);
  }

  all(): readonly StoredContact[] {
    return this.contactList;
  }

  cells(startMs: number, endMs: number): AsyncIterable<Cell> {
    return this.store.cells(startMs, endMs);
  }

  sessions(startMs: number, endMs: number): Promise<AgentSession[]> {
    return this.store.sessions(startMs, endMs);
  }

  deadLetters(source?: SourceName): AsyncIterable<DeadLetter> {
    return this.store.deadLetters(source);
  }

  deleteDeadLetter(item: DeadLetter): Promise<void> {
    return this.store.deleteDeadLetter(item);
  }
}
