/**
 * Agent timelines: per agent and 15-minute bucket, the agent's points (events)
 * in the bucket, the contact-level primitives each carries, the primitives
 * events in later buckets spill back into it (ACW and connecting time reach
 * back), the status time recomputed from the points around it, and the point
 * in force at the bucket's start, laid out as a head and a page per minute
 * (agent-pages.ts) so that an event rewrites only its own minute's page. Plus the
 * agent's latest state (for real-time views) and its login/logout sessions.
 *
 * Every write is conditional on the revision read (`rv`). An agent's batch
 * writes its changed pages, then always its state: the state's revision
 * orders the agent's writers, so a concurrent writer (another shard, a
 * redrive, a backfill, a parallelization factor above 1) that lost the race on
 * any page or on the state recomputes the agent's part of the batch from
 * fresh, strongly consistent reads and rewrites whatever pages the other
 * writer computed without its events. Pages are read strongly consistent, so
 * a page written by the previous batch is never missed. A retry after a crash
 * between two writes recomputes the same items. The work one event causes is
 * bounded: an event's state counts for at most 24 hours (MAX_SEGMENT_MS) and an
 * agent's events more than that apart are applied separately; a bucket that
 * would hold more than MAX_BUCKET_BYTES rejects the events that would make it
 * so (they are dead-lettered with the reason).
 *
 * This file is the write side; reads are in agent-timeline-reads.ts, the state item in agent-state.ts.
 */
import { eventContribution, segmentCells, toTimelinePoint } from '../../domain/engine/agent-activity.js';
import type { TimelinePoint } from '../../domain/engine/agent-activity.js';
import type { Cell } from '../../domain/engine/cell.js';
import { compareAgentEvents } from '../../domain/engine/metric-engine.js';
import { isAgentQueue } from '../../domain/agent-queue.js';
import { MAX_SEGMENT_MS, segmentEnd } from '../../domain/engine/timeline.js';
import { dimsKey } from '../../domain/dimensions.js';
import type { Dims } from '../../domain/dimensions.js';
import { addPrimitives } from '../../domain/metrics/primitives.js';
import type { Primitives } from '../../domain/metrics/primitives.js';
import type { AgentEvent, EntityRef } from '../../domain/model/types.js';
import { bucketOf, bucketStartMs, BUCKET_MS } from '../../domain/time/intervals.js';
import type { AgentApplyResult, ApplyOptions, RejectedRecord, Sequenced } from '../metric-store.js';
import { cmpPoints, contactsJson, contactsOf, layoutPages, MAX_BUCKET_BYTES, storedSize } from './agent-pages.js';
import { nextState, stateLp, withoutCells } from './agent-state.js';
import type { BucketContent, PointJson, StoredBucket } from './agent-pages.js';
import { queryAgentPages } from './agent-timeline-reads.js';
import { itemSize } from './capacity.js';
import type { Dictionary } from './dictionary.js';
import { agentStateKey, sessionKey } from './keys.js';
import { pool } from '../../domain/concurrency.js';
import { checkItemSize, ItemTooLargeError, keyString, revisionCondition, settleAll } from './table-io.js';
import type { Item, TableIo } from './table-io.js';

interface Prepared {
  events: AgentEvent[];
  points: Map<string, TimelinePoint>;
  instants: Map<string, Cell[]>;
}

export class AgentConflictError extends Error {
  constructor(
    readonly agentArn: string,
    readonly attempts: number,
  ) {
    super(`Agent ${agentArn}'s timeline kept changing under concurrent writers (${attempts} attempts lost a race); its records are retried`);
    this.name = 'AgentConflictError';
  }
}

/**
 * A lost race on a conditional write: recompute from fresh reads. `written` are the buckets whose pages this
 * attempt did write, from what may have been a stale view: the next attempt recomputes them too. `stored` are the
 * batch's new events in those buckets: the next attempt finds them stored, and still counts them as applied (not as
 * duplicates).
 */
class Conflict extends Error {
  constructor(
    readonly written: ReadonlySet<number>,
    readonly stored: ReadonlySet<string> = new Set(),
  ) {
    super('lost a race on a conditional write');
  }
}

/** What this writer's earlier attempts at a cluster left behind when they lost a race. */
interface EarlierAttempts {
  /** Buckets they wrote, from what may have been a stale view: recomputed whatever this attempt's events touch. */
  readonly dirty: ReadonlySet<number>;
  /** The batch's events they stored. */
  readonly stored: ReadonlySet<string>;
}

/** A bucket item would outgrow the bound; `culprits` are the batch's new events that put it there. */
class BucketTooLarge extends Error {
  constructor(
    readonly bucket: number,
    readonly bytes: number,
    readonly culprits: readonly string[],
  ) {
    super(`bucket ${bucket} would be ${bytes} bytes`);
  }
}

/**
 * How long one agent's part of a batch keeps retrying lost races before the batch fails (the pipeline then retries
 * it record by record, and Lambda the records from the first that failed). A time budget rather than a count: under sustained contention (a redrive or backfill racing the live
 * stream on the same agents) each attempt loses with some probability, so a few counted attempts fail a batch now and
 * then that a few more would have applied; a livelock still ends, with AgentConflictError, well inside Lambda's
 * timeout.
 */
export const CONFLICT_BUDGET_MS = 20_000;

/** A fresh page revision: random, never the one it replaces. */
function pageRevision(old: number | undefined): number {
  for (;;) {
    const rv = 1 + Math.floor(Math.random() * 0x7fffffff);
    if (rv !== old) return rv;
  }
}

/** Buckets of agents read ahead for a batch: per agent, its buckets in [lo, hi]. */
type Prefetched = Map<string, { lo: number; hi: number; buckets: Map<number, StoredBucket> }>;

export class AgentTimelines {
  constructor(
    private readonly io: TableIo,
    private readonly ttl: (ms: number) => number | undefined,
    private readonly dict: Dictionary,
    /** Told the start of each 15-minute interval whose data a write changed. */
    private readonly changed: (bucketStartMs: number) => void = () => {},
    /** How long an agent's writer retries lost races (CONFLICT_BUDGET_MS). */
    private readonly conflictBudgetMs = CONFLICT_BUDGET_MS,
  ) {}

  // ------------------------------------------------------------------ writes

  async apply(batch: readonly Sequenced<AgentEvent>[], opts: ApplyOptions = {}): Promise<AgentApplyResult> {
    const byAgent = new Map<string, Map<string, Sequenced<AgentEvent>>>();
    let duplicates = 0;
    for (const s of batch) {
      const e = s.value;
      let m = byAgent.get(e.agentArn);
      if (!m) byAgent.set(e.agentArn, (m = new Map()));
      if (m.has(e.eventId)) duplicates++;
      else m.set(e.eventId, s);
    }
    const allDims: Dims[] = [];
    const clusters: Array<{ agent: string; prep: Prepared; positions: Map<string, Sequenced<AgentEvent>['position']> }> = [];
    const profiles = new Map<string, { queues: readonly EntityRef[]; seenMs: number }>();
    for (const [agent, m] of byAgent) {
      const events = [...m.values()].map((s) => s.value).sort(compareAgentEvents);
      // Events more than MAX_SEGMENT_MS apart cannot affect each other: apply them separately, so one
      // far-off timestamp never makes the store load or recompute everything in between.
      let cur: AgentEvent[] = [];
      const flush = () => {
        if (cur.length === 0) return;
        const points = new Map<string, TimelinePoint>();
        const instants = new Map<string, Cell[]>();
        for (const e of cur) {
          const p = toTimelinePoint(e);
          points.set(e.eventId, p);
          allDims.push(p.dims);
          const cells = eventContribution(e);
          instants.set(e.eventId, cells);
          for (const c of cells) allDims.push(c.dims);
          const rp = e.current?.configuration.routingProfile;
          if (rp && e.current) {
            const had = profiles.get(rp.id);
            if (!had || e.eventMs >= had.seenMs) profiles.set(rp.id, { queues: e.current.configuration.inboundQueues.filter((q) => !isAgentQueue(q.id)), seenMs: e.eventMs });
          }
        }
        clusters.push({ agent, prep: { events: cur, points, instants }, positions: new Map(cur.map((e) => [e.eventId, (m.get(e.eventId) as Sequenced<AgentEvent>).position])) });
        cur = [];
      };
      for (const e of events) {
        const last = cur[cur.length - 1];
        if (last && e.eventMs - last.eventMs > MAX_SEGMENT_MS) flush();
        cur.push(e);
      }
      flush();
    }
    // The dictionary entries and the agents' states and pages are read side by side.
    const [hashes, states, prefetched] = await settleAll<[Map<string, string>, Map<string, Item>, Prefetched]>([
      this.dict.registerDims(allDims).then(async (h) => (await this.dict.registerProfiles(profiles), h)),
      ...this.readAhead(byAgent.keys(), clusters),
    ]);
    let added = 0;
    let late = 0;
    const rejected: RejectedRecord[] = [];
    const byAgentClusters = new Map<string, typeof clusters>();
    for (const c of clusters) {
      const list = byAgentClusters.get(c.agent) ?? [];
      list.push(c);
      byAgentClusters.set(c.agent, list);
    }
    await pool([...byAgentClusters.entries()], this.io.concurrency, async ([agent, list]) => {
      let state = states.get(keyString(agentStateKey(agent)));
      for (const { prep, positions } of list) {
        const earlier = { dirty: new Set<number>(), stored: new Set<string>() };
        const started = Date.now();
        for (let attempt = 0; ; attempt++) {
          try {
            const r = await this.applyCluster(agent, prep, state, hashes, opts.rebuild === true, attempt > 0 ? null : prefetched, earlier);
            added += r.added;
            duplicates += r.duplicates;
            late += r.late;
            for (const [id, reason] of r.rejected) {
              const position = positions.get(id);
              if (position) rejected.push({ position, reason });
            }
            state = r.state;
            break;
          } catch (err) {
            if (!(err instanceof Conflict)) throw err;
            for (const b of err.written) earlier.dirty.add(b);
            for (const id of err.stored) earlier.stored.add(id);
            // Randomized backoff, so two writers that keep colliding on one agent fall out of step.
            const wait = Math.random() * Math.min(200, 5 * 2 ** attempt);
            if (Date.now() + wait - started >= this.conflictBudgetMs) throw new AgentConflictError(agent, attempt + 1);
            await new Promise((r) => setTimeout(r, wait));
            state = (await this.io.batchGet([agentStateKey(agent)], true)).get(keyString(agentStateKey(agent)));
          }
        }
      }
    });
    return rejected.length > 0 ? { added, duplicates, late, rejected } : { added, duplicates, late };
  }

  /**
   * The batch's agents' states, and the buckets each agent's events most likely touch, read for the whole batch at
   * once (one query per agent): from the bucket of the agent's latest known point to the bucket of its last event.
   */
  private readAhead(agents: Iterable<string>, clusters: ReadonlyArray<{ agent: string; prep: Prepared }>): [Promise<Map<string, Item>>, Promise<Prefetched>] {
    const states = this.io.batchGet([...agents].map(agentStateKey));
    const prefetch = states.then(async (got) => {
      const prefetched: Prefetched = new Map();
      const wanted: Array<{ agent: string; lo: number; hi: number }> = [];
      for (const c of clusters) {
        if (wanted.length > 0 && (wanted[wanted.length - 1] as { agent: string }).agent === c.agent) continue; // an agent's first cluster only
        const last = stateLp(got.get(keyString(agentStateKey(c.agent))));
        const first = (c.prep.events[0] as AgentEvent).eventMs;
        const end = (c.prep.events[c.prep.events.length - 1] as AgentEvent).eventMs;
        const from = last && last.m < first && first - last.m <= MAX_SEGMENT_MS ? bucketOf(last.m) : bucketOf(first);
        const to = last && last.m > end && last.m - end <= MAX_SEGMENT_MS ? bucketOf(last.m) : bucketOf(end);
        wanted.push({ agent: c.agent, lo: from, hi: Math.min(to, from + 7) });
      }
      await pool(wanted, this.io.concurrency, async (w) => {
        prefetched.set(w.agent, { ...w, buckets: await queryAgentPages(this.io, w.agent, w.lo, w.hi) });
      });
      return prefetched;
    });
    // Both settle before the caller goes on (settleAll): no read is left in flight.
    return [states, prefetch];
  }

  /**
   * The agent's buckets in [from, to]: from `prefetched` where the batch read them already, else read.
   * Pages are always read strongly consistent: a page another batch wrote must never be missed.
   */
  private async loadBuckets(agent: string, from: number, to: number, prefetched: Prefetched | null): Promise<Map<number, StoredBucket>> {
    const out = new Map<number, StoredBucket>();
    if (to < from) return out;
    const pre = prefetched?.get(agent);
    const ranges: Array<[number, number]> = [];
    if (pre && pre.lo <= to && pre.hi >= from) {
      for (const [b, sb] of pre.buckets) if (b >= from && b <= to) out.set(b, sb);
      if (from < pre.lo) ranges.push([from, pre.lo - 1]);
      if (to > pre.hi) ranges.push([pre.hi + 1, to]);
    } else ranges.push([from, to]);
    for (const [a, z] of ranges) for (const [b, sb] of await queryAgentPages(this.io, agent, a, z)) out.set(b, sb);
    return out;
  }

  private async applyCluster(
    agent: string,
    prepIn: Prepared,
    state: Item | undefined,
    hashes: Map<string, string>,
    rebuild: boolean,
    prefetched: Prefetched | null,
    earlier: EarlierAttempts,
  ): Promise<{ added: number; duplicates: number; late: number; rejected: Map<string, string>; state: Item | undefined }> {
    const rejected = new Map<string, string>();
    let prep = prepIn;
    for (;;) {
      try {
        const r = await this.applyOnce(agent, prep, state, hashes, rebuild, prefetched, earlier);
        return { ...r, rejected };
      } catch (err) {
        if (!(err instanceof BucketTooLarge)) throw err;
        // Set aside the new events of the bucket that would outgrow its bound; apply the rest.
        const b = err.bucket;
        const culprits = new Set(err.culprits);
        if (culprits.size === 0) throw new Error(`Agent ${agent}'s bucket ${b} is over its bound and no new event of this batch is in it`);
        for (const id of culprits) {
          rejected.set(id, `Agent ${agent} has more activity in the 15-minute interval starting ${new Date(bucketStartMs(b)).toISOString()} than the store keeps for one agent and interval (${err.bytes} bytes > ${MAX_BUCKET_BYTES}); event set aside`);
        }
        const events = prep.events.filter((e) => !culprits.has(e.eventId));
        if (events.length === 0) return { added: 0, duplicates: 0, late: 0, rejected, state };
        prep = { events, points: prep.points, instants: prep.instants };
      }
    }
  }

  private async applyOnce(
    agent: string,
    prep: Prepared,
    state: Item | undefined,
    hashes: Map<string, string>,
    rebuild: boolean,
    prefetched: Prefetched | null,
    earlier: EarlierAttempts,
  ): Promise<{ added: number; duplicates: number; late: number; state: Item | undefined }> {
    const { dirty } = earlier;
    const hashOf = (d: Dims) => hashes.get(dimsKey(d)) as string;
    const first = prep.events[0] as AgentEvent;
    const last = prep.events[prep.events.length - 1] as AgentEvent;
    const windowStart = first.eventMs - MAX_SEGMENT_MS;
    const windowEnd = last.eventMs + MAX_SEGMENT_MS;
    const inWindow = (p: PointJson) => p.m >= windowStart && p.m <= windowEnd;
    const stateLastRaw = stateLp(state);
    const stateLast = stateLastRaw && inWindow(stateLastRaw) ? stateLastRaw : null;
    const dirtyMin = dirty.size > 0 ? Math.min(...dirty) : Infinity;
    const lo = Math.min(bucketOf(first.eventMs), dirtyMin);
    const hi = Math.max(bucketOf(last.eventMs), stateLast ? bucketOf(stateLast.m) : -Infinity, ...dirty);

    const items = await this.loadBuckets(agent, lo, hi, prefetched);
    const known = new Map<string, PointJson>();
    /** Points known only from a copy without their cells (a carry point, the state's latest point). */
    const copies = new Set<string>();
    const collect = () => {
      for (const { content } of items.values()) {
        // A point as its own bucket stores it wins over a copy (a carry point, the state's latest point without its cells).
        for (const p of content.ev) {
          if (!inWindow(p)) continue;
          known.set(p.i, p);
          copies.delete(p.i);
        }
        if (content.cp && !known.has(content.cp.i) && inWindow(content.cp)) {
          known.set(content.cp.i, content.cp);
          copies.add(content.cp.i);
        }
      }
    };
    collect();
    if (stateLast && !known.has(stateLast.i)) {
      known.set(stateLast.i, stateLast);
      copies.add(stateLast.i);
    }
    // The point before the earliest batch event may live in an earlier bucket: load every bucket from
    // there on, so the range whose status time is recomputed is loaded whole. A copy (a carry point, the state's
    // latest point) is written only after the point itself is stored; one whose own bucket was read without it was
    // read by an earlier read of this view: read that bucket again. Repeat until the view holds still.
    const refMs = Math.min(first.eventMs, dirtyMin === Infinity ? Infinity : bucketStartMs(dirtyMin));
    let loadedFrom = lo;
    let from = lo;
    for (let round = 0; ; round++) {
      const prev = [...known.values()].filter((p) => p.m < refMs || (refMs === first.eventMs && p.m === first.eventMs && p.i < first.eventId)).sort(cmpPoints).pop();
      from = prev ? Math.min(loadedFrom, bucketOf(prev.m)) : loadedFrom;
      const reread = new Set([...copies].map((id) => bucketOf((known.get(id) as PointJson).m)).filter((b) => b >= from && b <= hi));
      if (from === loadedFrom && reread.size === 0) break;
      if (round >= 4) throw new Conflict(new Set());
      if (from < loadedFrom) {
        for (const [b, v] of await this.loadBuckets(agent, from, loadedFrom - 1, prefetched)) items.set(b, v);
        loadedFrom = from;
      }
      for (const b of reread) {
        if (b < loadedFrom) continue;
        items.delete(b);
        for (const [k, v] of await this.loadBuckets(agent, b, b, null)) items.set(k, v);
      }
      collect();
    }

    // Merge the batch in.
    let added = 0;
    let duplicates = 0;
    let late = 0;
    const storedIds = new Set<string>();
    for (const { content } of items.values()) for (const p of content.ev) storedIds.add(p.i);
    const latestKnownMs = stateLastRaw?.m ?? -Infinity;
    const fresh = new Set<string>();
    for (const e of prep.events) {
      if (storedIds.has(e.eventId) && !rebuild) {
        if (!earlier.stored.has(e.eventId)) duplicates++;
        else {
          added++;
          if (e.eventMs < latestKnownMs) late++;
        }
        continue;
      }
      const p = prep.points.get(e.eventId) as TimelinePoint;
      const own = (prep.instants.get(e.eventId) ?? []).filter((c) => c.bucket === bucketOf(e.eventMs));
      const merged = new Map<string, Primitives>();
      for (const c of own) {
        const h = hashOf(c.dims);
        const acc = (merged.get(h) ?? {}) as Record<string, number>;
        addPrimitives(acc, c.values);
        merged.set(h, acc as Primitives);
      }
      known.set(e.eventId, { i: p.eventId, m: p.eventMs, t: p.type, y: p.statusType, n: p.statusName, d: hashOf(p.dims), c: contactsJson(p), ...(merged.size > 0 ? { ic: [...merged] } : {}) });
      if (!storedIds.has(e.eventId)) fresh.add(e.eventId);
      added++;
      if (e.eventMs < latestKnownMs) late++;
    }
    const ordered = [...known.values()].sort(cmpPoints);
    const index = new Map(ordered.map((p, i) => [p.i, i]));

    // Buckets whose content can change: every segment around a batch event, and every bucket an event spills into.
    const touched = new Set<number>();
    const spills = new Map<number, Map<string, Array<[string, Primitives]>>>();
    for (const e of prep.events) {
      const i = index.get(e.eventId) as number;
      const before = ordered[i - 1];
      const after = ordered[i + 1];
      const fromB = bucketOf(before ? before.m : e.eventMs);
      const toB = bucketOf(after ? segmentEnd(e.eventMs, after.m) : e.eventMs);
      for (let b = fromB; b <= toB; b++) touched.add(b);
      for (const b of dirty) touched.add(b);
      const own = bucketOf(e.eventMs);
      const byBucket = new Map<number, Map<string, Record<string, number>>>();
      for (const c of prep.instants.get(e.eventId) ?? []) {
        if (c.bucket === own) continue;
        if (c.bucket >= fromB) touched.add(c.bucket);
        let m = byBucket.get(c.bucket);
        if (!m) byBucket.set(c.bucket, (m = new Map()));
        const h = hashOf(c.dims);
        const acc = m.get(h) ?? {};
        addPrimitives(acc, c.values);
        m.set(h, acc);
      }
      for (const [b, m] of byBucket) {
        let s = spills.get(b);
        if (!s) spills.set(b, (s = new Map()));
        s.set(e.eventId, [...m] as Array<[string, Primitives]>);
      }
    }
    // Spills into buckets that are not recomputed below only add their cells there; nothing else in those buckets
    // changes. That is every bucket before the loaded range, and also a loaded bucket no batch event's segment reaches
    // (an ACW spill can reach back past the event's previous point, while an earlier event of the batch set `from`).
    const patchOnly = [...spills.keys()].filter((b) => !touched.has(b));
    const unloaded = patchOnly.filter((b) => b < from);
    if (unloaded.length > 0) {
      for (const b of unloaded) for (const [k, v] of await this.loadBuckets(agent, b, b, prefetched)) items.set(k, v);
    }

    // Recompute the touched buckets: status time from the points around them, keyed by each cell's own dims.
    // A segment's cells in the bucket of its end point belong to that point, those in the bucket of its start
    // point (when the end is in a later bucket) to the start point, and those of a bucket it crosses whole to the
    // bucket itself (agent-pages.ts).
    const pointDims = await this.dict.dimsOf(ordered.map((p) => p.d));
    const timeline: TimelinePoint[] = ordered.map((p) => ({
      eventId: p.i,
      eventMs: p.m,
      type: p.t,
      statusType: p.y,
      statusName: p.n,
      dims: pointDims.get(p.d) as Dims,
      contacts: contactsOf(p),
    }));
    const owned: Array<{ owner: number | null; cell: Cell }> = [];
    for (let i = 0; i + 1 < timeline.length; i++) {
      const p = timeline[i] as TimelinePoint;
      const nextMs = (timeline[i + 1] as TimelinePoint).eventMs;
      for (const c of segmentCells(p, nextMs)) {
        if (!touched.has(c.bucket)) continue;
        owned.push({ owner: c.bucket === bucketOf(nextMs) ? i + 1 : c.bucket === bucketOf(p.eventMs) ? i : null, cell: c });
      }
    }
    const cellHashes = await this.dict.registerDims(owned.map((o) => o.cell.dims));
    const byPoint = new Map<number, Map<string, Record<string, number>>>();
    const through = new Map<number, Record<string, Primitives>>();
    for (const { owner, cell } of owned) {
      const h = cellHashes.get(dimsKey(cell.dims)) as string;
      if (owner === null) {
        let st = through.get(cell.bucket);
        if (!st) through.set(cell.bucket, (st = {}));
        const acc = (st[h] ?? {}) as Record<string, number>;
        addPrimitives(acc, cell.values);
        st[h] = acc as Primitives;
        continue;
      }
      let m = byPoint.get(owner);
      if (!m) byPoint.set(owner, (m = new Map()));
      const acc = m.get(h) ?? {};
      addPrimitives(acc, cell.values);
      m.set(h, acc);
    }
    const withStatus = (p: PointJson, i: number): PointJson => {
      const { s: _s, ...rest } = p;
      const m = byPoint.get(i);
      return m && m.size > 0 ? { ...rest, s: [...m] as Array<[string, Primitives]> } : rest;
    };

    const writes: Array<{ item: Item; rv: number | undefined; oldSize: number; bucket: number }> = [];
    const put = (b: number, content: BucketContent, existing: StoredBucket | undefined) => {
      const { writes: pages, bytes } = layoutPages(agent, b, content, this.ttl(bucketStartMs(b)), existing);
      const tooLarge = (size: number) => {
        const culprits = prep.events.filter((e) => fresh.has(e.eventId) && (bucketOf(e.eventMs) === b || spills.get(b)?.has(e.eventId))).map((e) => e.eventId);
        return new BucketTooLarge(b, size, culprits);
      };
      if (bytes > MAX_BUCKET_BYTES) throw tooLarge(bytes);
      for (const { item: page, old } of pages) {
        const rv = typeof old?.rv === 'number' ? old.rv : undefined;
        // Random rather than counted revisions: a writer holding a page as it was can never match a later version
        // that happens to reach the same count.
        const item: Item = { ...page, rv: pageRevision(rv) };
        try {
          checkItemSize(item, 'agent-bucket');
        } catch (err) {
          if (err instanceof ItemTooLargeError) throw tooLarge(err.bytes);
          throw err;
        }
        writes.push({ item, rv: old ? rv : undefined, oldSize: old ? storedSize(old) : 0, bucket: b });
      }
    };
    for (const b of patchOnly) {
      const existing = items.get(b);
      const content: BucketContent = existing ? { ...existing.content, sp: { ...existing.content.sp } } : { ev: [], sp: {}, st: {}, cp: null };
      for (const [id, cells] of spills.get(b) ?? []) content.sp[id] = cells;
      put(b, content, existing);
    }
    for (const b of [...touched].sort((x, y) => x - y)) {
      const start = bucketStartMs(b);
      const end = start + BUCKET_MS;
      const ev: PointJson[] = [];
      let cp: PointJson | null = null;
      ordered.forEach((p, i) => {
        if (p.m < start) cp = p;
        else if (p.m < end) ev.push(withStatus(p, i));
      });
      const st = through.get(b) ?? {};
      const existing = items.get(b);
      const sp = { ...(existing?.content.sp ?? {}) };
      for (const [id, cells] of spills.get(b) ?? []) sp[id] = cells;
      if (ev.length === 0 && Object.keys(sp).length === 0 && Object.keys(st).length === 0 && !existing) continue;
      put(b, { ev, sp, st, cp: cp ? withoutCells(cp) : null }, existing);
    }

    // Latest state (an older event never overwrites a newer one) and sessions.
    const next = nextState(agent, state, stateLastRaw, ordered[ordered.length - 1] as PointJson, prep.events, (e) => hashOf((prep.points.get(e.eventId) as TimelinePoint).dims));
    const { item: stateItem, same: stateSame, rv: stateRv } = next;

    // Write: pages, then the state, each conditional on the revision read. The state is written by every batch
    // (even one that changes nothing in it but the revision): that is what makes a writer that raced another on
    // the same agent find out, and recompute.
    // Points never move between pages (agent-pages.ts), so the minute pages go in parallel: a reader sees each point
    // once. Heads go after them, and the state last: a head's carry point and the state's latest point are copies
    // without their cells, so a reader must never see a copy before the point itself is stored.
    let lost = false;
    const written = new Set<number>();
    const putPage = async (w: (typeof writes)[number]) => {
      if (!(await this.io.putIf(w.item, revisionCondition(w.rv), 'agent-bucket', w.oldSize))) lost = true;
      else written.add(w.bucket);
    };
    await pool(
      writes.filter((w) => w.item.g !== 0),
      this.io.concurrency,
      putPage,
    );
    if (!lost) await pool(writes.filter((w) => w.item.g === 0), this.io.concurrency, putPage);
    for (const b of written) this.changed(bucketStartMs(b));
    const storedHere = () => new Set([...fresh].filter((id) => written.has(bucketOf((prep.points.get(id) as TimelinePoint).eventMs))));
    if (lost) throw new Conflict(written, storedHere());
    // A batch that wrote nothing (all duplicates) changed nothing another writer could have computed without.
    let newState = state;
    if (!stateSame || writes.length > 0) {
      if (!(await this.io.putIf(stateItem, revisionCondition(stateRv), 'agent-state', itemSize(state)))) throw new Conflict(written, storedHere());
      newState = stateItem;
    }
    const sessionRv = typeof newState?.rv === 'number' ? newState.rv : 0;
    await pool(next.sessions, this.io.concurrency, async (s) => {
      // Sessions follow the state they were paired from: an older state's pairing never overwrites a newer one.
      const ok = await this.io.putIf({ ...sessionKey(agent, s.loginMs), a: agent, in: s.loginMs, out: s.logoutMs, rv: sessionRv }, { expression: 'attribute_not_exists(pk) OR rv <= :rv', values: { ':rv': sessionRv } }, 'session');
      if (ok) for (const ms of [s.loginMs, ...(s.logoutMs === null ? [] : [s.logoutMs])]) this.changed(bucketStartMs(bucketOf(ms)));
    });
    return { added, duplicates, late, state: newState };
  }
}
