/**
 * Names and shared lookups: the dims dictionary (dims hash → dims tuple, for
 * agent timeline cells), entities (queue, agent, routing profile, hierarchy
 * group names) and each routing profile's queue list (kept once per profile
 * rather than in every agent's state).
 *
 * Writes are read-then-conditional-put and only cached as known once stored,
 * so a failed write is retried with the next batch. Reads load only the
 * entries asked for (never the whole dictionary); entities are also found by
 * name or ARN through the name index (`entitiesNamed`), so reports never read
 * the whole catalog either.
 */
import { EntityCatalog } from '../../domain/engine/entities.js';
import type { EntityInfo, EntityKey, EntityKind } from '../../domain/engine/entities.js';
import { dimsKey, parseDimsKey } from '../../domain/dimensions.js';
import type { Dims } from '../../domain/dimensions.js';
import type { EntityRef } from '../../domain/model/types.js';
import { dimsEntryKey, dimsHash, ENTITY_INDEX_COMPLETE, ENTITY_SHARDS, entityIndexKey, entityIndexRange, entityKey, entityPartition, routingProfileKey } from './keys.js';
import { compactJson, expandJson, instancePrefix } from './compact.js';
import { pool } from '../../domain/concurrency.js';
import { keyString, revisionCondition } from './table-io.js';
import type { Item, TableIo } from './table-io.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const ENTITY_KINDS: readonly EntityKind[] = ['queue', 'agent', 'routingProfile', 'hierarchyGroup'];

const entityInfo = (kind: EntityKind, item: Item): EntityInfo => ({
  kind,
  id: item.sk,
  arn: str(item.arn),
  name: str(item.name),
  firstName: str(item.firstName),
  lastName: str(item.lastName),
  seenMs: Number(item.seenMs ?? 0),
});

/**
 * The name-index entries of an entity's name and ARN (keys.ts `entityIndexKey`). An ARN that is the entity's id
 * (agents, and queues, profiles and groups Connect names by ARN) needs none: readers look every filter value up as
 * an id too.
 */
const indexEntries = (kind: EntityKind, id: string, values: ReadonlyArray<string | null>): Array<{ item: Item; kind: string }> =>
  [...new Set(values.filter((v): v is string => v !== null && v !== id))].map((v) => ({ item: { ...entityIndexKey(kind, v, id) }, kind: 'entity-index' }));

/**
 * A dims entry's tuple with the Connect instance prefix its ARNs share written once (`ip`), so an entry of
 * eight ARNs stays under one write unit (compact.ts). Tuples never hold control characters other than their
 * separators (validation rejects them), so the marker is unambiguous; one that did is stored as it is.
 */
function compactDimsKey(k: string): { k: string; ip?: string } {
  const arn = /arn:[a-z-]+:connect:/.exec(k);
  const prefix = arn ? instancePrefix(k.slice(arn.index)) : null;
  if (prefix === null || k.includes('\u0001')) return { k };
  const c = compactJson(k, prefix);
  return c === k ? { k } : { k: c, ip: prefix };
}

const MAX_CACHED_HASHES = 100_000;

export class Dictionary {
  private readonly dims = new Map<string, Dims>();
  private readonly storedDims = new Set<string>();
  private readonly knownEntities = new Map<string, string>();
  private readonly knownProfiles = new Map<string, string>();
  private indexComplete: Promise<void> | null = null;
  /** Tuple key → hash, so a tuple seen before is not hashed again (bounded: cleared when full). */
  private readonly hashOfKey = new Map<string, string>();

  constructor(private readonly io: TableIo) {}

  // ------------------------------------------------------------------ dims

  /** Makes sure every dims tuple has its dictionary entry; returns tuple key → hash. */
  async registerDims(all: Iterable<Dims>): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    for (const d of all) {
      const k = dimsKey(d);
      if (!hashes.has(k)) {
        let h = this.hashOfKey.get(k);
        if (h === undefined) {
          if (this.hashOfKey.size >= MAX_CACHED_HASHES) this.hashOfKey.clear();
          this.hashOfKey.set(k, (h = dimsHash(k)));
        }
        hashes.set(k, h);
        if (!this.dims.has(h)) this.dims.set(h, d);
      }
    }
    const unknown = [...hashes].filter(([, h]) => !this.storedDims.has(h));
    if (unknown.length > 0) {
      const found = await this.io.batchGet(unknown.map(([, h]) => dimsEntryKey(h)));
      const missing = unknown.filter(([, h]) => !found.has(keyString(dimsEntryKey(h))));
      // An entry is a pure function of its key: concurrent writers put the same bytes.
      await this.io.batchPut(missing.map(([k, h]) => ({ item: { ...dimsEntryKey(h), ...compactDimsKey(k) }, kind: 'dims' })));
      for (const [, h] of unknown) this.storedDims.add(h);
    }
    return hashes;
  }

  /** The dims of the given hashes, reading only the entries not yet known. */
  async dimsOf(hashes: Iterable<string>): Promise<Map<string, Dims>> {
    const want = new Set(hashes);
    const missing = [...want].filter((h) => !this.dims.has(h));
    if (missing.length > 0) {
      const got = await this.io.batchGet(missing.map(dimsEntryKey));
      for (const item of got.values()) {
        this.dims.set(item.sk, parseDimsKey(expandJson(String(item.k), typeof item.ip === 'string' ? item.ip : null)));
        this.storedDims.add(item.sk);
      }
    }
    const out = new Map<string, Dims>();
    for (const h of want) {
      const d = this.dims.get(h);
      if (!d) throw new Error(`Dims dictionary has no entry ${h}`);
      out.set(h, d);
    }
    return out;
  }

  // ------------------------------------------------------------------ entities

  async registerEntities(infos: Iterable<EntityInfo>): Promise<void> {
    const latest = new Map<string, EntityInfo>();
    for (const e of infos) {
      const k = `${e.kind}\u0000${e.id}`;
      const cur = latest.get(k);
      if (!cur || e.seenMs >= cur.seenMs) latest.set(k, { ...e, name: e.name ?? cur?.name ?? null });
    }
    const sig = (e: EntityInfo) => JSON.stringify([e.name, e.arn, e.firstName ?? null, e.lastName ?? null]);
    const changed = [...latest.values()].filter((e) => this.knownEntities.get(`${e.kind}\u0000${e.id}`) !== sig(e));
    if (changed.length === 0) return;
    let stored = await this.io.batchGet(changed.map((e) => entityKey(e.kind, e.id)));
    await pool(changed, this.io.concurrency, async (e) => {
      const key = entityKey(e.kind, e.id);
      for (let attempt = 0; ; attempt++) {
        const cur = stored.get(keyString(key));
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
        const same = cur && merged.name === str(cur.name) && merged.arn === str(cur.arn) && merged.firstName === str(cur.firstName) && merged.lastName === str(cur.lastName);
        if (same) break;
        const rv = typeof cur?.rv === 'number' ? cur.rv : undefined;
        // The name index first: an entry for a write that then fails is harmless (readers check the entity), an
        // entity stored without its entry would not be found by name.
        await this.io.batchPut(indexEntries(e.kind, e.id, [merged.name !== str(cur?.name) ? merged.name : null, merged.arn !== str(cur?.arn) ? merged.arn : null]));
        const item: Item = { ...key, kind: e.kind, id: e.id, ...merged, rv: (rv ?? 0) + 1 };
        if (await this.io.putIf(item, revisionCondition(rv), 'entity')) break;
        if (attempt >= 8) throw new Error(`Entity ${e.kind} ${e.id} kept changing under concurrent writers`);
        stored = new Map([...stored, ...(await this.io.batchGet([key], true))]);
      }
      // Known only once stored: a failed write is tried again with the next batch.
      this.knownEntities.set(`${e.kind}\u0000${e.id}`, sig(e));
    });
  }

  /** The whole catalog: every entity partition. */
  async entities(): Promise<EntityCatalog> {
    const catalog = new EntityCatalog();
    const parts = ENTITY_KINDS.flatMap((kind) => Array.from({ length: ENTITY_SHARDS }, (_, s) => ({ kind, pk: entityPartition(kind, s) })));
    await pool(parts, this.io.concurrency, async ({ kind, pk }) => {
      for await (const item of this.io.query(pk)) catalog.put(entityInfo(kind, item));
    });
    return catalog;
  }

  /** The stored entries of the given entities, read by key. */
  async entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]> {
    const byKey = new Map<string, EntityKey>();
    for (const k of keys) byKey.set(keyString(entityKey(k.kind, k.id)), k);
    const got = await this.io.batchGet([...byKey.values()].map((k) => entityKey(k.kind, k.id)));
    return [...got].flatMap(([key, item]) => {
      const k = byKey.get(key);
      return k ? [entityInfo(k.kind, item)] : [];
    });
  }

  /**
   * The entities of `kind` whose current name or ARN is one of `values`: the candidates of the name index and the
   * values as ids (an ARN that is the id has no entry), read and checked (an entry may be of a name the entity no
   * longer has).
   */
  async entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]> {
    const want = new Set(values);
    if (want.size === 0) return [];
    await this.completeIndex();
    const ids = new Set<string>(want);
    await pool([...want], this.io.concurrency, async (v) => {
      const r = entityIndexRange(kind, v);
      for await (const item of this.io.query(r.pk, r)) ids.add(item.sk.slice(item.sk.indexOf('#') + 1));
    });
    const found = await this.entitiesOf([...ids].map((id) => ({ kind, id })));
    return found.filter((e) => (e.name !== null && want.has(e.name)) || (e.arn !== null && want.has(e.arn)));
  }

  /**
   * Releases before the name index stored entities without entries: the first reader to need the index after an
   * upgrade reads the whole catalog once, writes the entries and marks the index complete. Entries are a pure
   * function of their key, so readers doing it at once write the same items; writers of this release add their own.
   */
  private completeIndex(): Promise<void> {
    // Shared by the lookups of one report; tried again by the next if it failed.
    this.indexComplete ??= this.writeIndex().catch((err: unknown) => {
      this.indexComplete = null;
      throw err;
    });
    return this.indexComplete;
  }

  private async writeIndex(): Promise<void> {
    const marker = await this.io.batchGet([ENTITY_INDEX_COMPLETE]);
    if (marker.size === 0) {
      const catalog = await this.entities();
      const entries = [...catalog.all()].flatMap((e) => indexEntries(e.kind, e.id, [e.name, e.arn]));
      const chunks = Array.from({ length: Math.ceil(entries.length / 250) }, (_, i) => entries.slice(i * 250, (i + 1) * 250));
      await pool(chunks, 8, (chunk) => this.io.batchPut(chunk));
      await this.io.batchPut([{ item: { ...ENTITY_INDEX_COMPLETE, atMs: Date.now() }, kind: 'entity-index' }]);
    }
  }

  // ------------------------------------------------------------------ routing profiles' queues

  /** Stores each routing profile's latest queue list (by the time it was seen). */
  async registerProfiles(profiles: ReadonlyMap<string, { queues: readonly EntityRef[]; seenMs: number }>): Promise<void> {
    const sig = (q: readonly EntityRef[]) => JSON.stringify(q.map((r) => [r.id, r.arn, r.name]));
    const changed = [...profiles].filter(([id, p]) => this.knownProfiles.get(id) !== sig(p.queues));
    if (changed.length === 0) return;
    let stored = await this.io.batchGet(changed.map(([id]) => routingProfileKey(id)));
    await pool(changed, this.io.concurrency, async ([id, p]) => {
      const key = routingProfileKey(id);
      for (let attempt = 0; ; attempt++) {
        const cur = stored.get(keyString(key));
        const curSeen = typeof cur?.seenMs === 'number' ? cur.seenMs : -1;
        if (cur && (curSeen > p.seenMs || cur.q === sig(p.queues))) break;
        const rv = typeof cur?.rv === 'number' ? cur.rv : undefined;
        if (await this.io.putIf({ ...key, q: sig(p.queues), seenMs: p.seenMs, rv: (rv ?? 0) + 1 }, revisionCondition(rv), 'routing-profile')) break;
        if (attempt >= 8) throw new Error(`Routing profile ${id} kept changing under concurrent writers`);
        stored = new Map([...stored, ...(await this.io.batchGet([key], true))]);
      }
      this.knownProfiles.set(id, sig(p.queues));
    });
  }

  async profileQueues(ids: Iterable<string>): Promise<Map<string, EntityRef[]>> {
    const out = new Map<string, EntityRef[]>();
    const got = await this.io.batchGet([...new Set(ids)].map(routingProfileKey));
    for (const item of got.values()) {
      const list = JSON.parse(String(item.q)) as Array<[string, string | null, string | null]>;
      out.set(item.sk, list.map(([id, arn, name]) => ({ id, arn, name })));
    }
    return out;
  }
}
