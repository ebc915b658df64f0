/**
 * Contact records: one item per contact, holding the metric-relevant facts of
 * the latest version of its record, in the partition of the hour of its
 * disconnect (spread over shards by contact id). An item is bounded by the
 * validated sizes of a record's ids (a few KB at most), whatever the number of
 * contacts in a queue or an interval.
 *
 * Exactly once without idempotency records: a version is written only if the
 * stored one is older, conditionally on the revision read (`rv`), so a
 * redelivery, a replay or a concurrent writer of the same version changes
 * nothing, and an older copy arriving late is ignored.
 *
 * Some facts come from other records (ContactJoin): the next contact's
 * InitiationMethod (a callback is not a transfer) and whether the agent events
 * show the contact ending on hold. Each contact has a link item those records
 * write to without reading it (its own disconnect time, method and
 * NextContactId; a successor's method; a predecessor's id; "ended on hold").
 * A writer writes links first, reads the links, writes its contact items,
 * then reads the links again and restates whatever changed, its own items and
 * its predecessors': of two linked records written at once, at least one sees
 * the other, so the stored facts end up as if both had arrived in order.
 */
import { contactFacts, ctrDims, factsPrimitives, withJoin } from '../../domain/engine/ctr-contribution.js';
import type { ContactFacts, ContactJoin } from '../../domain/engine/ctr-contribution.js';
import type { Cell } from '../../domain/engine/cell.js';
import { dimsKey, parseDimsKey } from '../../domain/dimensions.js';
import { addPrimitives } from '../../domain/metrics/primitives.js';
import type { Ctr } from '../../domain/model/types.js';
import { bucketOf, bucketStartMs, BUCKET_MS } from '../../domain/time/intervals.js';
import type { ApplyOptions, CtrApplyResult, Sequenced, StoredContact } from '../metric-store.js';
import { itemSize } from './capacity.js';
import { CONTACT_SHARDS, contactKey, contactLinkKey, contactPartition, utcHoursBetween } from './keys.js';
import { pool } from '../../domain/concurrency.js';
import { keyString, revisionCondition } from './table-io.js';
import type { Item, Key, TableIo } from './table-io.js';

const HOUR_MS = 3600_000;

/** What other records say about a contact (as the in-memory engine joins them): its next contact's method, and whether it ended on hold. */
function joinOf(ctr: Ctr, links: ReadonlyMap<string, Item>): ContactJoin {
  const own = links.get(ctr.contactId);
  const next = ctr.nextContactId ? links.get(ctr.nextContactId) : undefined;
  const byNext = typeof next?.m === 'string' ? next.m : undefined;
  const byPrevious = typeof own?.nx === 'string' ? own.nx : undefined;
  return { successorMethod: byNext ?? byPrevious ?? null, endedOnHold: own?.eh === true };
}

export class ContactRecords {
  constructor(
    private readonly io: TableIo,
    private readonly ttl: (ms: number) => number | undefined,
    /** Told the start of each 15-minute interval whose data a write changed. */
    private readonly changed: (bucketStartMs: number) => void = () => {},
  ) {}

  async apply(batch: readonly Sequenced<Ctr>[], opts: ApplyOptions = {}): Promise<CtrApplyResult> {
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
    const ctrs = [...latest.values()];

    // 1. What each record tells about contacts linked to it, written before anything is read (see the class comment).
    const linkWrites: Array<[string, Record<string, unknown>]> = [];
    for (const c of ctrs) {
      linkWrites.push([c.contactId, { x: c.disconnectMs, m: c.initiationMethod, n: c.nextContactId }]);
      if (c.previousContactId) linkWrites.push([c.previousContactId, { nx: c.initiationMethod, nb: c.contactId }]);
      if (c.nextContactId) linkWrites.push([c.nextContactId, { pv: c.contactId }]);
    }
    // Only what a link does not hold yet (a redelivery or replay writes nothing); what it holds was written before.
    const before = await this.readLinks(linkWrites.map(([id]) => id), false);
    const missing = linkWrites
      .map(([id, values]): [string, Record<string, unknown>] => [id, Object.fromEntries(Object.entries(values).filter(([k, v]) => before.get(id)?.[k] !== v))])
      .filter(([, values]) => Object.keys(values).length > 0);
    await pool(missing, this.io.concurrency, ([id, values]) => this.io.set(contactLinkKey(id), { ...values, ...this.linkTtl(values) }, 'contact-link'));

    // 2. The joins as of now, then the contact items.
    let links = await this.readLinks(ctrs.flatMap((c) => [c.contactId, ...(c.nextContactId ? [c.nextContactId] : [])]));
    let stored = await this.io.batchGet(ctrs.map((c) => contactKey(c.contactId, c.disconnectMs)));
    let added = 0;
    let updated = 0;
    const used = new Map<string, string>();
    await pool(ctrs, this.io.concurrency, async (ctr) => {
      const key = contactKey(ctr.contactId, ctr.disconnectMs);
      const join = joinOf(ctr, links);
      used.set(ctr.contactId, JSON.stringify(join));
      const facts = JSON.stringify(contactFacts(ctr, join));
      const dims = dimsKey(ctrDims(ctr));
      for (let attempt = 0; ; attempt++) {
        const cur = stored.get(keyString(key));
        const curV = typeof cur?.v === 'number' ? cur.v : undefined;
        if (curV !== undefined && curV > ctr.lastUpdateMs) {
          stale++;
          return;
        }
        if (curV === ctr.lastUpdateMs && cur?.f === facts && cur?.d === dims) {
          duplicates++;
          return;
        }
        // The same version whose facts differ only by what linked records say: a restatement, not a new version.
        const restatement = curV === ctr.lastUpdateMs && !opts.rebuild && cur?.d === dims;
        if (await this.putContact(key, ctr.lastUpdateMs, ctr.disconnectMs, dims, facts, cur)) {
          if (restatement) duplicates++;
          else if (curV === undefined) added++;
          else updated++;
          return;
        }
        if (attempt >= 8) throw new Error(`Contact ${ctr.contactId} kept changing under concurrent writers`);
        // Another writer got there first: read it back and decide again.
        stored = new Map([...stored, ...(await this.io.batchGet([key], true))]);
      }
    });

    // 3. Read the links again: a linked record written meanwhile is either seen here or sees this contact's item.
    links = await this.readLinks(ctrs.flatMap((c) => [c.contactId, ...(c.nextContactId ? [c.nextContactId] : [])]));
    const restate: Array<[string, ContactJoin]> = [];
    for (const c of ctrs) {
      const join = joinOf(c, links);
      if (JSON.stringify(join) !== used.get(c.contactId)) restate.push([c.contactId, join]);
      // This record is the next contact of the one it names, and of the one that named it.
      const own = links.get(c.contactId);
      if (c.previousContactId) restate.push([c.previousContactId, { successorMethod: c.initiationMethod, viaPrevious: c.contactId } as ContactJoin]);
      if (typeof own?.pv === 'string' && own.pv !== c.previousContactId) restate.push([own.pv, { successorMethod: c.initiationMethod }]);
    }
    await pool(restate, this.io.concurrency, ([id, join]) => this.restate(id, join));
    return { added, updated, duplicates, stale };
  }

  /** The agent events show these contacts ending on hold: noted in their links and restated where stored. */
  async markEndedOnHold(contactIds: readonly string[]): Promise<void> {
    const ids = [...new Set(contactIds)];
    await pool(ids, this.io.concurrency, async (id) => {
      await this.io.set(contactLinkKey(id), { eh: true }, 'contact-link');
      await this.restate(id, { endedOnHold: true });
    });
  }

  private linkTtl(values: Record<string, unknown>): Record<string, unknown> {
    const t = typeof values.x === 'number' ? this.ttl(values.x) : undefined;
    return t === undefined ? {} : { ttl: t };
  }

  private async readLinks(ids: readonly string[], consistent = true): Promise<Map<string, Item>> {
    const got = await this.io.batchGet([...new Set(ids)].map(contactLinkKey), consistent);
    return new Map([...got.values()].map((i) => [i.sk, i]));
  }

  /** Restates a stored contact's facts with what a linked record says; no write when nothing changes. */
  private async restate(contactId: string, join: ContactJoin & { viaPrevious?: string }): Promise<void> {
    const link = (await this.readLinks([contactId])).get(contactId);
    if (!link || typeof link.x !== 'number') return;
    // Named as the previous contact by a record, but its own NextContactId names another: that one decides.
    if (join.viaPrevious !== undefined && typeof link.n === 'string' && link.n !== join.viaPrevious) return;
    const key = contactKey(contactId, link.x);
    for (let attempt = 0; ; attempt++) {
      const cur = (await this.io.batchGet([key], true)).get(keyString(key));
      if (!cur) return;
      const before = JSON.parse(String(cur.f)) as ContactFacts;
      const after = withJoin(before, { successorMethod: join.successorMethod, endedOnHold: join.endedOnHold });
      if (after === before) return;
      if (await this.putContact(key, Number(cur.v), link.x, String(cur.d), JSON.stringify(after), cur)) return;
      if (attempt >= 8) throw new Error(`Contact ${contactId} kept changing under concurrent writers`);
    }
  }

  private async putContact(key: Key, v: number, disconnectMs: number, d: string, f: string, cur: Item | undefined): Promise<boolean> {
    const rv = typeof cur?.rv === 'number' ? cur.rv : cur ? 0 : undefined;
    const item: Item = { ...key, v, x: disconnectMs, d, f, rv: (rv ?? 0) + 1 };
    const t = this.ttl(bucketStartMs(bucketOf(disconnectMs)));
    if (t !== undefined) item.ttl = t;
    // Items written before revisions existed have none: the version then guards the write.
    const condition =
      rv === undefined ? revisionCondition(undefined) : cur && cur.rv === undefined ? { expression: 'v = :v AND attribute_not_exists(rv)', values: { ':v': cur.v } } : revisionCondition(rv);
    const ok = await this.io.putIf(item, condition, 'contact', itemSize(cur));
    if (ok) this.changed(bucketStartMs(bucketOf(disconnectMs)));
    return ok;
  }

  /** Stored contacts whose disconnect lies in [startMs, endMs), one hour partition at a time. */
  async *contacts(startMs: number, endMs: number): AsyncGenerator<StoredContact> {
    for (const hour of utcHoursBetween(startMs, endMs)) {
      const items: Item[] = [];
      await pool(
        Array.from({ length: CONTACT_SHARDS }, (_, s) => s),
        CONTACT_SHARDS,
        async (s) => {
          for await (const item of this.io.query(contactPartition(hour, s), undefined, ['sk', 'x', 'd', 'f'])) items.push(item);
        },
      );
      items.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
      for (const item of items) {
        const x = Number(item.x);
        if (x >= startMs && x < endMs) yield { contactId: item.sk, dims: parseDimsKey(String(item.d)), facts: JSON.parse(String(item.f)) as ContactFacts, disconnectMs: x };
      }
    }
  }

  /** Contact-record cells of the 15-minute buckets starting in [startMs, endMs), summed per bucket and dims. */
  async *cells(startMs: number, endMs: number): AsyncGenerator<Cell> {
    const first = Math.ceil(startMs / BUCKET_MS);
    const end = Math.ceil(endMs / BUCKET_MS);
    if (end <= first) return;
    for (const hour of utcHoursBetween(first * BUCKET_MS, end * BUCKET_MS)) {
      const sums = new Map<string, { bucket: number; d: string; values: Record<string, number> }>();
      for await (const c of this.contacts(Math.max(hour, first * BUCKET_MS), Math.min(hour + HOUR_MS, end * BUCKET_MS))) {
        const bucket = bucketOf(c.disconnectMs);
        const d = dimsKey(c.dims);
        const k = `${bucket}|${d}`;
        let cell = sums.get(k);
        if (!cell) sums.set(k, (cell = { bucket, d, values: {} }));
        addPrimitives(cell.values, factsPrimitives(c.facts));
      }
      for (const c of sums.values()) yield { bucket: c.bucket, dims: parseDimsKey(c.d), values: c.values };
    }
  }
}
