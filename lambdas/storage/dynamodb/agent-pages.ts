/**
 * How an agent's 15-minute timeline bucket is laid out in items: a head and a
 * page per minute, so that an event rewrites only the page of its minute
 * (well under the 1 KiB a write unit buys, for an agent's minute).
 *
 * | page  | holds                                                                  |
 * | 0     | the point in force at the bucket's start (`cp`), the status cells of a segment crossing the whole bucket (`st`, only in a bucket without points), and spills: cells that events of later buckets add to this one (ACW, connecting time reaching back) |
 * | 1…15  | the points of minute 1…15 of the bucket, in time order                 |
 *
 * Status time is kept with the points it belongs to: a point's `s` holds the
 * cells, in its own bucket, of the segment ending at it and, for the last
 * point of a bucket, of the segment leaving it up to the bucket's end. So an
 * event appended after the agent's latest point changes only its own page
 * (and, when it opens a new bucket, the page of the previous one's last point
 * and the new bucket's head).
 *
 * A point's page follows from its time alone: a point never moves from one
 * page to another, so a reader never sees a point on no page or on two, even
 * while a writer is part way through its pages. The layout is a pure function
 * of the bucket's content, so concurrent writers that computed the same
 * content write the same bytes.
 */
import type { TimelinePoint } from '../../domain/engine/agent-activity.js';
import type { Primitives } from '../../domain/metrics/primitives.js';
import { bucketOf, bucketStartMs } from '../../domain/time/intervals.js';
import { compareAgentEvents } from '../../domain/engine/metric-engine.js';
import { compactJson, expandJson, instancePrefix } from './compact.js';
import { itemSize } from './capacity.js';
import { agentPageKey } from './keys.js';
import type { Item } from './table-io.js';

/** A timeline point as stored: dims by hash, plus the cells it carries for its own bucket. */
export interface PointJson {
  i: string;
  m: number;
  t: string;
  y: string | null;
  n: string | null;
  d: string;
  /** Contacts: id, state, and (from points stored since they were kept) initiation method, queue id, channel. */
  c: Array<[string, string, string?, (string | null)?, string?]>;
  /** The contact-level cells the event carries for its own bucket (absent when none). */
  ic?: Array<[string, Primitives]>;
  /** Status-time cells attributed to this point, in its own bucket (absent when none). */
  s?: Array<[string, Primitives]>;
}

/** A point's contacts as the engine has them, and back as stored. */
export const contactsOf = (p: PointJson): TimelinePoint['contacts'] =>
  p.c.map(([id, state, method, queue, channel]) => (method === undefined ? { id, state } : { id, state, method, queue: queue ?? null, channel }));
export const contactsJson = (p: TimelinePoint): PointJson['c'] => p.contacts.map((c) => (c.method === undefined ? [c.id, c.state] : [c.id, c.state, c.method, c.queue ?? null, c.channel]));

/** A bucket's content, whatever its pages. */
export interface BucketContent {
  ev: PointJson[];
  /** Status cells of a segment crossing the whole bucket (only in a bucket without points). */
  st: Record<string, Primitives>;
  /** Cells events of later buckets add to this one, by event id. */
  sp: Record<string, Array<[string, Primitives]>>;
  /** The point in force at the bucket's start, without its cells. */
  cp: PointJson | null;
}

export interface StoredBucket {
  content: BucketContent;
  /** The stored page items by page number. */
  pages: Map<number, Item>;
  /** Each stored page as parsed (primitive ids decoded), by page number: what a new layout is compared with. */
  parsed: Map<number, PageJson>;
}

export interface PageJson {
  ev?: PointJson[];
  st?: Record<string, Primitives>;
  sp?: Record<string, Array<[string, Primitives]>>;
  cp?: PointJson;
}

/** The bytes one agent's bucket may hold over all its pages: more activity of one agent in 15 minutes is set aside. */
export const MAX_BUCKET_BYTES = 350 * 1024;

/** The page of a point: the minute of its bucket, 1 to 15. */
export const pageOf = (ms: number): number => 1 + Math.floor((ms - bucketStartMs(bucketOf(ms))) / 60_000);

export const cmpPoints = (a: PointJson, b: PointJson) => compareAgentEvents({ eventMs: a.m, eventId: a.i }, { eventMs: b.m, eventId: b.i });

/** The agent an agent-bucket page belongs to (its sort key is `<agent ARN>#<bucket>#<page>`). */
export const agentOfPage = (sk: string): string => sk.slice(0, sk.length - 15);

/**
 * Primitive ids as stored in pages: a short code each (the index in this list, base 36), since the names are most
 * of a cell's bytes. Append only: a stored code must keep its meaning. A name not listed is stored as it is.
 */
const STORED_PRIMITIVES = [
  'ctr_records', 'contacts_queued', 'contacts_handled', 'contacts_handled_incoming', 'contacts_handled_outbound', 'callback_contacts_handled',
  'api_contacts_handled', 'contacts_incoming', 'callback_contacts', 'api_contacts', 'contacts_abandoned', 'abandon_time',
  'contacts_answered_from_queue', 'queue_answer_time', 'max_queued_time', 'agent_interaction_time', 'customer_hold_time', 'after_contact_work_time',
  'outbound_agent_interaction_time', 'outbound_after_contact_work_time', 'contacts_put_on_hold', 'contacts_agent_hung_up_first', 'contacts_transferred_in',
  'contacts_transferred_in_by_agent', 'contacts_transferred_in_from_queue', 'contacts_transferred_out', 'contacts_transferred_out_by_agent',
  'contacts_transferred_out_internal', 'contacts_transferred_out_external', 'contacts_transferred_out_from_queue', 'contacts_hold_disconnected',
  'contacts_hold_agent_disconnected', 'contacts_hold_customer_disconnected', 'online_time', 'agent_idle_time', 'non_productive_time',
  'error_status_time', 'agent_on_contact_time', 'contact_state_changes', 'contacts_missed', 'contacts_routed', 'contacts_answered_by_agent',
  'incoming_connecting_time', 'incoming_connecting_count', 'outbound_connecting_time', 'outbound_connecting_count', 'callback_connecting_time',
  'callback_connecting_count', 'api_connecting_time', 'api_connecting_count', 'agent_acw_time', 'agent_acw_count', 'contacts_hold_disconnect',
  'contact_time_in_custom_status',
] as const;
const CODE_OF = new Map<string, string>(STORED_PRIMITIVES.map((id, i) => [id, i.toString(36)]));
const ID_OF = new Map<string, string>(STORED_PRIMITIVES.map((id, i) => [i.toString(36), id]));

const mapKeys = (values: Primitives, to: ReadonlyMap<string, string>): Primitives => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) out[to.get(k) ?? k] = v as number;
  return out as Primitives;
};
type CellList = Array<[string, Primitives]>;
const cells = (list: CellList | undefined, to: ReadonlyMap<string, string>): CellList | undefined => list?.map(([h, v]) => [h, mapKeys(v, to)]);

/** A page's cells with their primitive ids as codes (`to` = CODE_OF) or back (`to` = ID_OF). */
function mapPage(page: PageJson, to: ReadonlyMap<string, string>): PageJson {
  const out: PageJson = { ...page };
  if (page.ev) {
    out.ev = page.ev.map((p) => {
      const q: PointJson = { ...p };
      if (p.ic) q.ic = cells(p.ic, to);
      if (p.s) q.s = cells(p.s, to);
      return q;
    });
  }
  if (page.st) out.st = Object.fromEntries(Object.entries(page.st).map(([h, v]) => [h, mapKeys(v, to)]));
  if (page.sp) out.sp = Object.fromEntries(Object.entries(page.sp).map(([id, list]) => [id, cells(list, to) as CellList]));
  return out;
}

export function parsePage(item: Item): PageJson {
  return mapPage(JSON.parse(expandJson(String(item.j), instancePrefix(agentOfPage(item.sk)))) as PageJson, ID_OF);
}

/** Buckets from their page items (any order); each point is on the one page of its minute. */
export function parsePages(items: Iterable<Item>): Map<number, StoredBucket> {
  const out = new Map<number, StoredBucket>();
  for (const item of items) {
    const b = Number(item.b);
    let sb = out.get(b);
    if (!sb) out.set(b, (sb = { content: { ev: [], st: {}, sp: {}, cp: null }, pages: new Map(), parsed: new Map() }));
    sb.pages.set(Number(item.g), item);
    const page = parsePage(item);
    sb.parsed.set(Number(item.g), page);
    const c = sb.content;
    if (page.ev) c.ev.push(...page.ev);
    if (page.cp) c.cp = page.cp;
    if (page.st) Object.assign(c.st, page.st);
    if (page.sp) Object.assign(c.sp, page.sp);
  }
  for (const { content } of out.values()) content.ev.sort(cmpPoints);
  return out;
}

/**
 * Whether two JSON values serialize to the same document up to the order of object keys: an `undefined` property
 * is an absent one, and an `undefined` array element is `null`, as JSON.stringify writes them.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    n++;
    if (!sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

/** A page of a new layout: its number, the item to write, and the stored item it replaces (if any). */
export interface PageWrite {
  g: number;
  item: Item;
  old: Item | undefined;
}

/**
 * The pages that store a bucket's content, laid out against what is stored (`existing`): only pages whose content
 * differs from the stored page are serialized and returned (without revision); a page stored before with nothing
 * left on it is written empty. `bytes` is the size of all the bucket's pages, changed or not.
 */
export function layoutPages(agent: string, bucket: number, content: BucketContent, ttl: number | undefined, existing?: StoredBucket): { writes: PageWrite[]; bytes: number } {
  const prefix = instancePrefix(agent);
  const pages = new Map<number, PageJson>();
  const head: PageJson = {};
  if (content.cp) head.cp = content.cp;
  if (Object.keys(content.st).length > 0) head.st = content.st;
  if (Object.keys(content.sp).length > 0) head.sp = content.sp;
  if (Object.keys(head).length > 0) pages.set(0, head);
  for (const p of content.ev) {
    const g = pageOf(p.m);
    const page = pages.get(g) ?? { ev: [] };
    (page.ev as PointJson[]).push(p);
    pages.set(g, page);
  }
  if (existing) for (const g of existing.pages.keys()) if (!pages.has(g)) pages.set(g, {});
  const writes: PageWrite[] = [];
  let bytes = 0;
  for (const [g, page] of [...pages.entries()].sort((a, b) => a[0] - b[0])) {
    const old = existing?.pages.get(g);
    const was = existing?.parsed.get(g);
    if (old && was && sameJson(page, was)) {
      bytes += storedSize(old);
      continue;
    }
    const j = compactJson(JSON.stringify(mapPage(page, CODE_OF)), prefix);
    if (old && old.j === j) {
      bytes += storedSize(old);
      continue;
    }
    const item: Item = { ...agentPageKey(agent, bucket, g), b: bucket, g, j, ...(ttl === undefined ? {} : { ttl }) };
    bytes += itemSize(item);
    writes.push({ g, item, old });
  }
  return { writes, bytes };
}

/** Sizes of stored page items, computed once per item read. */
const sizes = new WeakMap<Item, number>();
export function storedSize(item: Item): number {
  let n = sizes.get(item);
  if (n === undefined) sizes.set(item, (n = itemSize(item)));
  return n;
}
