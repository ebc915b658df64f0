/**
 * Contact records: one item per contact, holding the metric-relevant facts of
 * the latest version of its record, in the partition of the hour of its
 * disconnect (spread over shards by contact id). An item is bounded by the
 * validated sizes of a record's ids (a few KB at most), whatever the number of
 * contacts in a queue or an interval.
 *
 * Exactly once without idempotency records: a version is written only if the
 * stored one is older (`attribute_not_exists(pk) OR v < :v`), so a redelivery,
 * a replay or a concurrent writer of the same version changes nothing, and an
 * older copy arriving late is ignored.
 */
import { contactFacts, ctrDims, factsPrimitives } from '../../domain/engine/ctr-contribution.js';
import type { ContactFacts } from '../../domain/engine/ctr-contribution.js';
import type { Cell } from '../../domain/engine/cell.js';
import { dimsKey, parseDimsKey } from '../../domain/dimensions.js';
import { addPrimitives } from '../../domain/metrics/primitives.js';
import type { Ctr } from '../../domain/model/types.js';
import { bucketOf, bucketStartMs, BUCKET_MS } from '../../domain/time/intervals.js';
import type { ApplyOptions, CtrApplyResult, Sequenced, StoredContact } from '../metric-store.js';
import { CONTACT_SHARDS, contactKey, contactPartition, utcHoursBetween } from './keys.js';
import { keyString, pool } from './table-io.js';
import type { Item, TableIo } from './table-io.js';

const HOUR_MS = 3600_000;

export class ContactRecords {
  constructor(
    private readonly io: TableIo,
    private readonly ttl: (ms: number) => number | undefined,
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
    let stored = await this.io.batchGet(ctrs.map((c) => contactKey(c.contactId, c.disconnectMs)));
    let added = 0;
    let updated = 0;
    await pool(ctrs, this.io.concurrency, async (ctr) => {
      const key = contactKey(ctr.contactId, ctr.disconnectMs);
      const item: Item = { ...key, v: ctr.lastUpdateMs, x: ctr.disconnectMs, d: dimsKey(ctrDims(ctr)), f: JSON.stringify(contactFacts(ctr)) };
      const t = this.ttl(bucketStartMs(bucketOf(ctr.disconnectMs)));
      if (t !== undefined) item.ttl = t;
      for (let attempt = 0; ; attempt++) {
        const cur = stored.get(keyString(key));
        const curV = typeof cur?.v === 'number' ? cur.v : undefined;
        if (curV !== undefined && curV > ctr.lastUpdateMs) {
          stale++;
          return;
        }
        if (curV === ctr.lastUpdateMs && !(opts.rebuild && (cur?.f !== item.f || cur?.d !== item.d))) {
          duplicates++;
          return;
        }
        const condition =
          curV === undefined
            ? { expression: 'attribute_not_exists(pk)' }
            : { expression: opts.rebuild ? 'v <= :v' : 'v < :v', values: { ':v': ctr.lastUpdateMs } };
        if (await this.io.putIf(item, condition, 'contact', 0)) {
          if (curV === undefined) added++;
          else updated++;
          return;
        }
        if (attempt >= 8) throw new Error(`Contact ${ctr.contactId} kept changing under concurrent writers`);
        // Another writer got there first: read it back and decide again.
        stored = new Map([...stored, ...(await this.io.batchGet([key], true))]);
      }
    });
    return { added, updated, duplicates, stale };
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
