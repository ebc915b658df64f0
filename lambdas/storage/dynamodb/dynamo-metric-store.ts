/**
 * The DynamoDB adapter of the storage port.
 *
 * Exactly-once effect without idempotency records: every aggregate item is a
 * deterministic function of the set of inputs that belong to it, and is
 * rewritten whole.
 * - A contact-record cell holds the facts of the latest version of each
 *   contact in it; its primitives are recomputed from them when read. A
 *   redelivered version changes nothing, a newer one replaces the older one's
 *   facts, an older one is ignored.
 * - An agent timeline bucket holds that agent's points (events) in the bucket,
 *   each with the contact-level primitives it carries, the primitives that
 *   events in other buckets spill into it (ACW and connecting time reach back),
 *   and the status time recomputed from the points around it.
 * Writes are puts of recomputed items, so a retry after a crash between any
 * two writes recomputes the same items and completes the batch; nothing is
 * added twice. Concurrent writers of one contact-record cell (several shards)
 * are serialised with an optimistic revision check.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { acwPeriods, eventContribution, sessionsOf, toTimelinePoint } from '../../domain/engine/agent-activity.js';
import type { AgentSession, TimelinePoint } from '../../domain/engine/agent-activity.js';
import type { Cell } from '../../domain/engine/cell.js';
import { contactFacts, ctrDims, factsPrimitives } from '../../domain/engine/ctr-contribution.js';
import type { ContactFacts } from '../../domain/engine/ctr-contribution.js';
import { EntityCatalog, entitiesOfAgentEvent, entitiesOfCtr } from '../../domain/engine/entities.js';
import type { EntityInfo } from '../../domain/engine/entities.js';
import { compareAgentEvents } from '../../domain/engine/metric-engine.js';
import { statusCellsForBuckets } from '../../domain/engine/timeline.js';
import { dimsKey, parseDimsKey } from '../../domain/dimensions.js';
import type { Dims } from '../../domain/dimensions.js';
import { addPrimitives } from '../../domain/metrics/primitives.js';
import type { Primitives } from '../../domain/metrics/primitives.js';
import type { AgentEvent, AgentSnapshot, Ctr } from '../../domain/model/types.js';
import { bucketOf, bucketStartMs, BUCKET_MS } from '../../domain/time/intervals.js';
import type {
  AgentApplyResult,
  AgentState,
  CtrApplyResult,
  DeadLetter,
  MetricReader,
  MetricStore,
  Sequenced,
  SourceName,
  StoredContact,
  ApplyOptions,
} from '../metric-store.js';
import {
  agentBucketKey,
  agentStateKey,
  ctrCellKey,
  deadLetterKey,
  dimsEntryKey,
  dimsHash,
  entityKey,
  padBucket,
  sessionKey,
  utcDay,
  utcDaysBetween,
} from './keys.js';
import { itemSize } from './capacity.js';
import { keyString, pool, TableIo } from './table-io.js';
import type { Item, Key, TableIoOptions } from './table-io.js';

/** A timeline point as stored: dims by hash, plus the contact-level cells its event carries for its own bucket. */
interface PointJson {
  i: string;
  m: number;
  t: string;
  y: string | null;
  n: string | null;
  d: string;
  c: Array<[string, string]>;
  ic: Array<[string, Primitives]>;
}

interface AgentBucketJson {
  ev: PointJson[];
  sp: Record<string, Array<[string, Primitives]>>;
  st: Record<string, Primitives>;
  cp: PointJson | null;
}

interface ContactEntry {
  /** LastUpdateTimestamp of the version kept. */
  v: number;
  f: ContactFacts;
  /** DisconnectTimestamp, for windows finer than the 15-minute bucket (real-time metrics). */
  x: number;
}

export class CellConflictError extends Error {
  constructor(readonly key: Key) {
    super(`Could not update ${key.pk}/${key.sk}: it kept changing under concurrent writers`);
    this.name = 'CellConflictError';
  }
}

export interface DynamoMetricStoreOptions extends TableIoOptions {
  /** Aggregates expire this many days after their interval (DynamoDB TTL); 0 keeps them. */
  readonly retentionDays?: number;
}

const MAX_RECENT = 50;

export class DynamoMetricStore implements MetricStore, MetricReader {
  readonly io: TableIo;
  private readonly knownDims = new Set<string>();
  private readonly knownEntities = new Map<string, string>();
  private readonly retentionMs: number;

  constructor(doc: DynamoDBDocumentClient, tableName: string, opts: DynamoMetricStoreOptions = {}) {
    this.io = new TableIo(doc, tableName, opts);
    this.retentionMs = (opts.retentionDays ?? 0) * 24 * 3600 * 1000;
  }

  private ttl(ms: number): number | undefined {
    return this.retentionMs > 0 ? Math.floor((ms + this.retentionMs) / 1000) : undefined;
  }

  // ------------------------------------------------------------------ writes: dictionary and entities

  /** Makes sure every dims tuple has its dictionary entry; returns tuple → hash. */
  private async registerDims(all: Iterable<Dims>): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    for (const d of all) {
      const k = dimsKey(d);
      if (!hashes.has(k)) hashes.set(k, dimsHash(k));
    }
    const unknown = [...hashes].filter(([, h]) => !this.knownDims.has(h));
    if (unknown.length > 0) {
      const found = await this.io.batchGet(unknown.map(([, h]) => dimsEntryKey(h)));
      const missing = unknown.filter(([, h]) => !found.has(keyString(dimsEntryKey(h))));
      await this.io.batchPut(missing.map(([k, h]) => ({ item: { ...dimsEntryKey(h), k }, kind: 'dims' })));
      for (const [, h] of unknown) this.knownDims.add(h);
    }
    return hashes;
  }

  private async registerEntities(infos: Iterable<EntityInfo>): Promise<void> {
    const latest = new Map<string, EntityInfo>();
    for (const e of infos) {
      const k = `${e.kind}\u0000${e.id}`;
      const cur = latest.get(k);
      if (!cur || e.seenMs >= cur.seenMs) latest.set(k, { ...e, name: e.name ?? cur?.name ?? null });
    }
    const sig = (e: EntityInfo) => JSON.stringify([e.name, e.arn, e.firstName ?? null, e.lastName ?? null]);
    const changed = [...latest.values()].filter((e) => this.knownEntities.get(`${e.kind}\u0000${e.id}`) !== sig(e));
    if (changed.length === 0) return;
    const stored = await this.io.batchGet(changed.map((e) => entityKey(e.kind, e.id)));
    const puts: Array<{ item: Item; kind: string }> = [];
    for (const e of changed) {
      const key = entityKey(e.kind, e.id);
      const cur = stored.get(keyString(key));
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      const curSeen = typeof cur?.seenMs === 'number' ? cur.seenMs : -1;
      // Newer facts win field by field; a source that lacks a field (CTRs carry no first/last name) keeps the stored one.
      const newer = e.seenMs >= curSeen;
      const pick = (mine: string | null | undefined, theirs: string | null) => (newer ? (mine ?? theirs) : (theirs ?? mine ?? null));
      const merged = {
        name: pick(e.name, str(cur?.name)),
        arn: pick(e.arn, str(cur?.arn)),
        firstName: pick(e.firstName, str(cur?.firstName)),
        lastName: pick(e.lastName, str(cur?.lastName)),
        seenMs: Math.max(e.seenMs, curSeen),
      };
      const changedFields = !cur || merged.name !== str(cur.name) || merged.arn !== str(cur.arn) || merged.firstName !== str(cur.firstName) || merged.lastName !== str(cur.lastName);
      if (changedFields) puts.push({ item: { ...key, kind: e.kind, id: e.id, ...merged }, kind: 'entity' });
      this.knownEntities.set(`${e.kind}\u0000${e.id}`, sig(e));
    }
    await this.io.batchPut(puts);
  }

  // ------------------------------------------------------------------ writes: contact records

  async applyCtrs(batch: readonly Sequenced<Ctr>[], opts: ApplyOptions = {}): Promise<CtrApplyResult> {
    let duplicates = 0;
    let stale = 0;
    const latest = new Map<string, Ctr>();
    for (const { value: ctr } of batch) {
      const cur = latest.get(ctr.contactId);
      if (!cur) latest.set(ctr.contactId, ctr);
      else if (ctr.lastUpdateMs > cur.lastUpdateMs) {
        latest.set(ctr.contactId, ctr);
        stale++;
      } else if (ctr.lastUpdateMs === cur.lastUpdateMs) duplicates++;
      else stale++;
    }
    const dims = new Map<string, Dims>();
    for (const ctr of latest.values()) dims.set(ctr.contactId, ctrDims(ctr));
    const hashes = await this.registerDims(dims.values());

    const byCell = new Map<string, { key: Key; bucket: number; hash: string; contacts: Array<[string, ContactEntry]> }>();
    for (const ctr of latest.values()) {
      const bucket = bucketOf(ctr.disconnectMs);
      const hash = hashes.get(dimsKey(dims.get(ctr.contactId) as Dims)) as string;
      const key = ctrCellKey(bucket, hash);
      const k = keyString(key);
      let cell = byCell.get(k);
      if (!cell) byCell.set(k, (cell = { key, bucket, hash, contacts: [] }));
      cell.contacts.push([ctr.contactId, { v: ctr.lastUpdateMs, f: contactFacts(ctr), x: ctr.disconnectMs }]);
    }

    let added = 0;
    let updated = 0;
    const stored = await this.io.batchGet([...byCell.values()].map((c) => c.key));
    await pool([...byCell.entries()], this.io.concurrency, async ([k, cell]) => {
      let current = stored.get(k);
      for (let attempt = 0; attempt < 8; attempt++) {
        const entries: Record<string, ContactEntry> = current ? (JSON.parse(String(current.k)) as Record<string, ContactEntry>) : {};
        let a = 0;
        let u = 0;
        let d = 0;
        let s = 0;
        for (const [id, entry] of cell.contacts) {
          const old = entries[id];
          if (!old) {
            entries[id] = entry;
            a++;
          } else if (entry.v > old.v) {
            entries[id] = entry;
            u++;
          } else if (entry.v === old.v && opts.rebuild && JSON.stringify(old) !== JSON.stringify(entry)) {
            entries[id] = entry;
            u++;
          } else if (entry.v === old.v) d++;
          else s++;
        }
        if (a + u > 0) {
          const rev = typeof current?.rv === 'number' ? current.rv : undefined;
          const item: Item = { ...cell.key, b: cell.bucket, d: cell.hash, k: JSON.stringify(entries), rv: (rev ?? 0) + 1 };
          const t = this.ttl(bucketStartMs(cell.bucket));
          if (t !== undefined) item.ttl = t;
          if (!(await this.io.putIfRevision(item, rev, 'ctr-cell', itemSize(current)))) {
            current = (await this.io.batchGet([cell.key], true)).get(k);
            continue;
          }
        }
        added += a;
        updated += u;
        duplicates += d;
        stale += s;
        return;
      }
      throw new CellConflictError(cell.key);
    });
    await this.registerEntities([...latest.values()].flatMap(entitiesOfCtr));
    return { added, updated, duplicates, stale };
  }

  // ------------------------------------------------------------------ writes: agent events

  async applyAgentEvents(batch: readonly Sequenced<AgentEvent>[], opts: ApplyOptions = {}): Promise<AgentApplyResult> {
    const byAgent = new Map<string, Map<string, AgentEvent>>();
    let duplicates = 0;
    for (const { value: e } of batch) {
      let m = byAgent.get(e.agentArn);
      if (!m) byAgent.set(e.agentArn, (m = new Map()));
      if (m.has(e.eventId)) duplicates++;
      else m.set(e.eventId, e);
    }
    const allDims: Dims[] = [];
    const prepared = new Map<string, { events: AgentEvent[]; points: Map<string, TimelinePoint>; instants: Map<string, Cell[]> }>();
    for (const [agent, m] of byAgent) {
      const events = [...m.values()].sort(compareAgentEvents);
      const points = new Map<string, TimelinePoint>();
      const instants = new Map<string, Cell[]>();
      for (const e of events) {
        const p = toTimelinePoint(e);
        points.set(e.eventId, p);
        allDims.push(p.dims);
        const cells = eventContribution(e);
        instants.set(e.eventId, cells);
        for (const c of cells) allDims.push(c.dims);
      }
      prepared.set(agent, { events, points, instants });
    }
    const hashes = await this.registerDims(allDims);
    const states = await this.io.batchGet([...byAgent.keys()].map(agentStateKey));

    let added = 0;
    let late = 0;
    await pool([...prepared.entries()], Math.max(1, Math.floor(this.io.concurrency / 2)), async ([agent, prep]) => {
      const r = await this.applyAgent(agent, prep, states.get(keyString(agentStateKey(agent))), hashes, opts.rebuild === true);
      added += r.added;
      duplicates += r.duplicates;
      late += r.late;
    });
    await this.registerEntities([...byAgent.values()].flatMap((m) => [...m.values()].flatMap(entitiesOfAgentEvent)));
    return { added, duplicates, late };
  }

  private async applyAgent(
    agent: string,
    prep: { events: AgentEvent[]; points: Map<string, TimelinePoint>; instants: Map<string, Cell[]> },
    state: Item | undefined,
    hashes: Map<string, string>,
    rebuild: boolean,
  ): Promise<{ added: number; duplicates: number; late: number }> {
    const hashOf = (d: Dims) => hashes.get(dimsKey(d)) as string;
    const first = prep.events[0] as AgentEvent;
    const last = prep.events[prep.events.length - 1] as AgentEvent;
    const stateLast = state?.lp ? (JSON.parse(String(state.lp)) as PointJson) : null;
    const lo = bucketOf(first.eventMs);
    const hi = Math.max(bucketOf(last.eventMs), stateLast ? bucketOf(stateLast.m) : -Infinity);

    // Load the agent's stored buckets that the batch can touch.
    const items = new Map<number, { item: Item; data: AgentBucketJson }>();
    const load = async (from: number, to: number) => {
      for (const day of utcDaysBetween(bucketStartMs(from), bucketStartMs(to) + BUCKET_MS)) {
        for await (const item of this.io.query(`A#${day}`, { from: `${agent}#${padBucket(from)}`, to: `${agent}#${padBucket(to)}` })) {
          items.set(Number(item.b), { item, data: JSON.parse(String(item.j)) as AgentBucketJson });
        }
      }
    };
    await load(lo, hi);

    // Every stored point we know of, by event id.
    const known = new Map<string, PointJson>();
    const collect = () => {
      for (const { data } of items.values()) {
        for (const p of data.ev) if (!known.has(p.i)) known.set(p.i, p);
        if (data.cp && !known.has(data.cp.i)) known.set(data.cp.i, data.cp);
      }
    };
    collect();
    if (stateLast && !known.has(stateLast.i)) known.set(stateLast.i, stateLast);
    // The point before the earliest batch event may live in an earlier bucket: load every bucket from
    // there on, so the range whose status time is recomputed is loaded whole.
    const before = [...known.values()].filter((p) => p.m < first.eventMs || (p.m === first.eventMs && p.i < first.eventId));
    const prev = before.sort((a, b) => compareAgentEvents({ eventMs: a.m, eventId: a.i }, { eventMs: b.m, eventId: b.i })).pop();
    const from = prev ? Math.min(lo, bucketOf(prev.m)) : lo;
    if (from < lo) {
      await load(from, lo - 1);
      collect();
    }

    // Merge the batch in.
    let added = 0;
    let duplicates = 0;
    let late = 0;
    const storedIds = new Set<string>();
    for (const { data } of items.values()) for (const p of data.ev) storedIds.add(p.i);
    const latestKnownMs = stateLast?.m ?? -Infinity;
    for (const e of prep.events) {
      if (storedIds.has(e.eventId) && !rebuild) {
        duplicates++;
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
      known.set(e.eventId, { i: p.eventId, m: p.eventMs, t: p.type, y: p.statusType, n: p.statusName, d: hashOf(p.dims), c: p.contacts.map((c) => [c.id, c.state]), ic: [...merged] });
      added++;
      if (e.eventMs < latestKnownMs) late++;
    }
    const ordered = [...known.values()].sort((a, b) => compareAgentEvents({ eventMs: a.m, eventId: a.i }, { eventMs: b.m, eventId: b.i }));
    const index = new Map(ordered.map((p, i) => [p.i, i]));

    // Buckets whose content can change: every segment around a batch event, and every bucket an event spills into.
    const touched = new Set<number>();
    const spills = new Map<number, Map<string, Array<[string, Primitives]>>>();
    for (const e of prep.events) {
      const i = index.get(e.eventId) as number;
      const from = bucketOf((ordered[i - 1] ?? ordered[i])?.m ?? e.eventMs);
      const to = bucketOf((ordered[i + 1] ?? ordered[i])?.m ?? e.eventMs);
      for (let b = from; b <= to; b++) touched.add(b);
      const own = bucketOf(e.eventMs);
      const byBucket = new Map<number, Map<string, Record<string, number>>>();
      for (const c of prep.instants.get(e.eventId) ?? []) {
        if (c.bucket === own) continue;
        if (c.bucket >= from) touched.add(c.bucket);
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
    // Spills into buckets before the loaded range only add their cells there; nothing else in those buckets changes.
    const patchOnly = [...spills.keys()].filter((b) => b < from);
    if (patchOnly.length > 0) {
      const got = await this.io.batchGet(patchOnly.map((b) => agentBucketKey(agent, b)));
      for (const item of got.values()) items.set(Number(item.b), { item, data: JSON.parse(String(item.j)) as AgentBucketJson });
    }

    // Recompute and write the touched buckets.
    const toPoint = (p: PointJson): TimelinePoint => ({
      eventId: p.i,
      eventMs: p.m,
      type: p.t,
      statusType: p.y,
      statusName: p.n,
      dims: { agent, routingProfile: null, queue: null, phoneNumber: null, hierarchy1: null, hierarchy2: null, hierarchy3: null, hierarchy4: null, hierarchy5: null, channel: null, [HASH]: p.d } as unknown as Dims,
      contacts: p.c.map(([id, state]) => ({ id, state })),
    });
    const timeline = ordered.map(toPoint);
    const writes: Array<{ item: Item; oldSize?: number; kind: string }> = [];
    const put = (b: number, data: AgentBucketJson, existing: { item: Item } | undefined) => {
      const j = JSON.stringify(data);
      if (existing && existing.item.j === j) return;
      const item: Item = { ...agentBucketKey(agent, b), b, a: agent, j };
      const t = this.ttl(bucketStartMs(b));
      if (t !== undefined) item.ttl = t;
      writes.push({ item, oldSize: itemSize(existing?.item), kind: 'agent-bucket' });
    };
    for (const b of patchOnly) {
      const existing = items.get(b);
      const data: AgentBucketJson = existing ? { ...existing.data, sp: { ...existing.data.sp } } : { ev: [], sp: {}, st: {}, cp: null };
      for (const [id, cells] of spills.get(b) ?? []) data.sp[id] = cells;
      put(b, data, existing);
    }
    for (const b of [...touched].sort((x, y) => x - y)) {
      const start = bucketStartMs(b);
      const end = start + BUCKET_MS;
      const ev = ordered.filter((p) => p.m >= start && p.m < end);
      const cp = [...ordered].reverse().find((p) => p.m < start) ?? null;
      const st: Record<string, Primitives> = {};
      for (const c of statusCellsForBuckets(timeline, new Set([b]))) {
        const h = (c.dims as unknown as Record<symbol, string>)[HASH] as string;
        const acc = (st[h] ?? {}) as Record<string, number>;
        addPrimitives(acc, c.values);
        st[h] = acc as Primitives;
      }
      const existing = items.get(b);
      const sp = { ...(existing?.data.sp ?? {}) };
      for (const [id, cells] of spills.get(b) ?? []) sp[id] = cells;
      if (ev.length === 0 && Object.keys(sp).length === 0 && Object.keys(st).length === 0 && !existing) continue;
      put(b, { ev, sp, st, cp }, existing);
    }
    await this.io.batchPut(writes);

    // Latest state (an older event never overwrites a newer one), sessions.
    const newest = ordered[ordered.length - 1] as PointJson;
    const newestEvent = prep.events.find((e) => e.eventId === newest.i);
    const logins: number[] = state?.li ? (JSON.parse(String(state.li)) as number[]) : [];
    const logouts: number[] = state?.lo ? (JSON.parse(String(state.lo)) as number[]) : [];
    const before2 = JSON.stringify(pairSessions(agent, logins, logouts));
    for (const e of prep.events) {
      if (e.eventType === 'LOGIN' && !logins.includes(e.eventMs)) logins.push(e.eventMs);
      if (e.eventType === 'LOGOUT' && !logouts.includes(e.eventMs)) logouts.push(e.eventMs);
    }
    logins.sort((x, y) => x - y);
    logouts.sort((x, y) => x - y);
    // Pair before trimming: a batch with more than MAX_RECENT logins of one agent must still write all its sessions.
    const sessions = pairSessions(agent, logins, logouts);
    logins.splice(0, Math.max(0, logins.length - MAX_RECENT));
    logouts.splice(0, Math.max(0, logouts.length - MAX_RECENT));
    const oldSessions = new Map((JSON.parse(before2) as AgentSession[]).map((s) => [s.loginMs, s.logoutMs]));
    const sessionWrites = sessions
      .filter((s) => oldSessions.get(s.loginMs) !== s.logoutMs || !oldSessions.has(s.loginMs))
      .map((s) => ({ item: { ...sessionKey(agent, s.loginMs), a: agent, in: s.loginMs, out: s.logoutMs } as Item, kind: 'session' }));
    const stateItem: Item = {
      ...agentStateKey(agent),
      lp: JSON.stringify(newest),
      lm: newest.m,
      lt: newest.t,
      snap: newestEvent ? JSON.stringify(newestEvent.current) : (state?.snap ?? null),
      li: JSON.stringify(logins),
      lo: JSON.stringify(logouts),
    };
    const stateChanged = !state || state.lp !== stateItem.lp || state.li !== stateItem.li || state.lo !== stateItem.lo;
    await this.io.batchPut([...sessionWrites, ...(stateChanged ? [{ item: stateItem, oldSize: itemSize(state), kind: 'agent-state' }] : [])]);
    return { added, duplicates, late };
  }

  // ------------------------------------------------------------------ writes: dead letters

  async putDeadLetters(items: readonly DeadLetter[]): Promise<void> {
    await this.io.batchPut(items.map((d) => ({ item: { ...deadLetterKey(d.source, d.shardId, d.sequenceNumber), ...d } as Item, kind: 'dead-letter' })));
  }

  // ------------------------------------------------------------------ reads

  private dictionary: Map<string, Dims> | undefined;

  /**
   * The dims dictionary, read once per store instance: entries never change
   * once written, so only a miss (a tuple written since) makes it read again.
   */
  private async dimsDictionary(need?: Iterable<string>): Promise<Map<string, Dims>> {
    const missing = () => [...(need ?? [])].some((h) => !this.dictionary?.has(h));
    if (!this.dictionary || missing()) {
      const out = new Map<string, Dims>();
      for await (const item of this.io.query('D#dims')) out.set(item.sk, parseDimsKey(String(item.k)));
      this.dictionary = out;
    }
    return this.dictionary;
  }

  async *cells(startMs: number, endMs: number): AsyncGenerator<Cell> {
    this.dictionary = undefined;
    const dict = await this.dimsDictionary();
    const first = Math.ceil(startMs / BUCKET_MS);
    const end = Math.ceil(endMs / BUCKET_MS);
    const dimsOf = (h: string): Dims => {
      const d = dict.get(h);
      if (!d) throw new Error(`Dims dictionary has no entry ${h}`);
      return d;
    };
    for (const day of utcDaysBetween(startMs, endMs)) {
      for await (const item of this.io.query(`C#${day}`, { from: padBucket(first), to: `${padBucket(end - 1)}#~` }, ['b', 'd', 'k'])) {
        const bucket = Number(item.b);
        if (bucket < first || bucket >= end) continue;
        const values: Record<string, number> = {};
        for (const entry of Object.values(JSON.parse(String(item.k)) as Record<string, ContactEntry>)) addPrimitives(values, factsPrimitives(entry.f));
        yield { bucket, dims: dimsOf(String(item.d)), values };
      }
      for await (const item of this.io.query(`A#${day}`, undefined, ['b', 'j'])) {
        const bucket = Number(item.b);
        if (bucket < first || bucket >= end) continue;
        const data = JSON.parse(String(item.j)) as AgentBucketJson;
        for (const [h, values] of Object.entries(data.st)) yield { bucket, dims: dimsOf(h), values };
        for (const p of data.ev) for (const [h, values] of p.ic) yield { bucket, dims: dimsOf(h), values };
        for (const cells of Object.values(data.sp)) for (const [h, values] of cells) yield { bucket, dims: dimsOf(h), values };
      }
    }
  }

  async *contacts(startMs: number, endMs: number): AsyncGenerator<StoredContact> {
    const dict = await this.dimsDictionary();
    const first = bucketOf(startMs);
    const last = bucketOf(endMs - 1);
    for (const day of utcDaysBetween(startMs, endMs)) {
      for await (const item of this.io.query(`C#${day}`, { from: padBucket(first), to: `${padBucket(last)}#~` }, ['b', 'd', 'k'])) {
        const dims = dict.get(String(item.d)) ?? (await this.dimsDictionary([String(item.d)])).get(String(item.d));
        if (!dims) continue;
        for (const [contactId, e] of Object.entries(JSON.parse(String(item.k)) as Record<string, ContactEntry>)) {
          if (e.x >= startMs && e.x < endMs) yield { contactId, dims, facts: e.f, disconnectMs: e.x };
        }
      }
    }
  }

  async sessions(startMs: number, endMs: number): Promise<AgentSession[]> {
    const out: AgentSession[] = [];
    // A session that started up to 31 days before the range can still overlap it.
    for (const day of utcDaysBetween(startMs - 31 * 24 * 3600 * 1000, endMs)) {
      for await (const item of this.io.query(`L#${day}`)) {
        const s: AgentSession = { agentArn: String(item.a), loginMs: Number(item.in), logoutMs: item.out === null || item.out === undefined ? null : Number(item.out) };
        if (s.loginMs < endMs && (s.logoutMs === null || s.logoutMs >= startMs)) out.push(s);
      }
    }
    return out.sort((a, b) => a.agentArn.localeCompare(b.agentArn) || a.loginMs - b.loginMs);
  }

  async timeline(agentArn: string, startMs: number, endMs: number): Promise<TimelinePoint[]> {
    const points: PointJson[] = [];
    let carry: PointJson | null = null;
    const first = bucketOf(startMs);
    const last = bucketOf(endMs - 1);
    for (const day of utcDaysBetween(startMs, endMs)) {
      for await (const item of this.io.query(`A#${day}`, { from: `${agentArn}#${padBucket(first)}`, to: `${agentArn}#${padBucket(last)}` })) {
        const data = JSON.parse(String(item.j)) as AgentBucketJson;
        if (carry === null && data.cp && data.cp.m < startMs) carry = data.cp;
        for (const p of data.ev) if (p.m >= startMs && p.m < endMs) points.push(p);
        for (const p of data.ev) if (p.m < startMs && (!carry || p.m > carry.m)) carry = p;
      }
    }
    const all = carry ? [carry, ...points] : points;
    const dict = await this.dimsDictionary(all.map((p) => p.d));
    return all.map((p) => ({
      eventId: p.i,
      eventMs: p.m,
      type: p.t,
      statusType: p.y,
      statusName: p.n,
      dims: dict.get(p.d) ?? parseDimsKey(dimsKey({ queue: null, agent: agentArn, routingProfile: null, phoneNumber: null, hierarchy1: null, hierarchy2: null, hierarchy3: null, hierarchy4: null, hierarchy5: null, channel: null })),
      contacts: p.c.map(([id, state]) => ({ id, state })),
    }));
  }

  async agentStates(): Promise<AgentState[]> {
    const out: AgentState[] = [];
    for await (const item of this.io.query('S#agents')) {
      out.push({
        agentArn: item.sk,
        eventMs: Number(item.lm),
        eventType: String(item.lt),
        snapshot: item.snap ? (JSON.parse(String(item.snap)) as AgentSnapshot) : null,
      });
    }
    return out;
  }

  async entities(): Promise<EntityCatalog> {
    const catalog = new EntityCatalog();
    for (const kind of ['queue', 'agent', 'routingProfile', 'hierarchyGroup'] as const) {
      for await (const item of this.io.query(`N#${kind}`)) {
        catalog.put({
          kind,
          id: item.sk,
          arn: (item.arn as string | null) ?? null,
          name: (item.name as string | null) ?? null,
          firstName: (item.firstName as string | null) ?? null,
          lastName: (item.lastName as string | null) ?? null,
          seenMs: Number(item.seenMs ?? 0),
        });
      }
    }
    return catalog;
  }

  async *deadLetters(source?: SourceName): AsyncGenerator<DeadLetter> {
    for (const s of source ? [source] : (['ctr', 'agent-events'] as const)) {
      for await (const item of this.io.query(`X#${s}`)) {
        const { pk: _pk, sk: _sk, ...rest } = item;
        yield rest as unknown as DeadLetter;
      }
    }
  }

  async deleteDeadLetter(d: DeadLetter): Promise<void> {
    await this.io.delete(deadLetterKey(d.source, d.shardId, d.sequenceNumber));
  }
}

/** Points carry their dims as a hash; status cells are computed on points whose dims hold the hash under this symbol. */
const HASH = Symbol('dimsHash');

function pairSessions(agent: string, logins: readonly number[], logouts: readonly number[]): AgentSession[] {
  const points = [...logins.map((m) => ({ type: 'LOGIN', eventMs: m })), ...logouts.map((m) => ({ type: 'LOGOUT', eventMs: m }))].sort(
    (a, b) => a.eventMs - b.eventMs || (a.type === 'LOGIN' ? -1 : 1),
  );
  return sessionsOf(agent, points);
}

export { acwPeriods, utcDay };
