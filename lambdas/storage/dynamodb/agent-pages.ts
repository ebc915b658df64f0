/**
 * How an agent's 15-minute timeline bucket is laid out in items: pages of at
 * most 1 KiB, so that a write costs one unit and an event rewrites only the
 * page it lands in.
 *
 * | page | holds                                                                  |
 * | 0    | spills: cells that events of later buckets add to this one (ACW, connecting time reaching back); only when there are some |
 * | 1    | the point in force at the bucket's start (`cp`), the status cells of a segment crossing the whole bucket (`st`, only in a bucket without points), then the first points |
 * | 2, … | further points, in time order, as many as fit in 1 KiB                 |
 *
 * Status time is kept with the points it belongs to: a point's `s` holds the
 * cells, in its own bucket, of the segment ending at it and, for the last
 * point of a bucket, of the segment leaving it up to the bucket's end. So an
 * event appended after the agent's latest point changes only its own page
 * (and, when it opens a new bucket, the last page of the previous one); the
 * pages before keep their bytes and are not written.
 *
 * Pages are filled greedily in time order, which is stable under appends; a
 * late event or a grown point moves the points after it, and those pages are
 * rewritten. The layout is a pure function of the bucket's content, so
 * concurrent writers that computed the same content write the same bytes.
 */
import type { Primitives } from '../../domain/metrics/primitives.js';
import { compareAgentEvents } from '../../domain/engine/metric-engine.js';
import { itemSize } from './capacity.js';
import { compactJson, expandJson, instancePrefix } from './compact.js';
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
}

interface PageJson {
  ev?: PointJson[];
  st?: Record<string, Primitives>;
  sp?: Record<string, Array<[string, Primitives]>>;
  cp?: PointJson;
}

/** A write costs one unit per started KiB: pages stay within one. */
export const PAGE_BYTES = 1024;
/** Pages one bucket may have (about 400 KB of points): more activity of one agent in 15 minutes is set aside. */
export const MAX_PAGES = 400;

export const cmpPoints = (a: PointJson, b: PointJson) => compareAgentEvents({ eventMs: a.m, eventId: a.i }, { eventMs: b.m, eventId: b.i });

/** The agent an agent-bucket page belongs to (its sort key is `<agent ARN>#<bucket>#<page>`). */
export const agentOfPage = (sk: string): string => sk.slice(0, sk.length - 15);

export function parsePage(item: Item): PageJson {
  return JSON.parse(expandJson(String(item.j), instancePrefix(agentOfPage(item.sk)))) as PageJson;
}

/** Buckets from their page items (any order). A point found on two pages (a lost race, until it is recomputed) counts once. */
export function parsePages(items: Iterable<Item>): Map<number, StoredBucket> {
  const out = new Map<number, StoredBucket>();
  for (const item of items) {
    const b = Number(item.b);
    let sb = out.get(b);
    if (!sb) out.set(b, (sb = { content: { ev: [], st: {}, sp: {}, cp: null }, pages: new Map() }));
    sb.pages.set(Number(item.g), item);
    const page = parsePage(item);
    const c = sb.content;
    if (page.ev) c.ev.push(...page.ev);
    if (page.cp) c.cp = page.cp;
    if (page.st) Object.assign(c.st, page.st);
    if (page.sp) Object.assign(c.sp, page.sp);
  }
  for (const { content } of out.values()) {
    const seen = new Set<string>();
    content.ev = content.ev.sort(cmpPoints).filter((p) => !seen.has(p.i) && seen.add(p.i));
  }
  return out;
}

/** The page items (without revision) that store a bucket's content. */
export function layoutPages(agent: string, bucket: number, content: BucketContent, ttl: number | undefined): Item[] {
  const prefix = instancePrefix(agent);
  const json = (v: unknown) => compactJson(JSON.stringify(v), prefix);
  const item = (g: number, j: string): Item => ({ ...agentPageKey(agent, bucket, g), b: bucket, g, j, ...(ttl === undefined ? {} : { ttl }) });
  const out: Item[] = [];
  if (Object.keys(content.sp).length > 0) out.push(item(0, json({ sp: content.sp })));

  const head: string[] = [];
  if (content.cp) head.push(`"cp":${json(content.cp)}`);
  if (Object.keys(content.st).length > 0) head.push(`"st":${json(content.st)}`);
  let g = 1;
  let fixed = head;
  let parts: string[] = [];
  const text = () => `{${[...fixed, ...(parts.length > 0 ? [`"ev":[${parts.join(',')}]`] : [])].join(',')}}`;
  const overhead = itemSize(item(g, '')) + 6; // the revision attribute
  let bytes = overhead + Buffer.byteLength(text(), 'utf8');
  for (const p of content.ev) {
    const s = json(p);
    const size = Buffer.byteLength(s, 'utf8') + (parts.length > 0 ? 1 : 7);
    if (parts.length > 0 && bytes + size > PAGE_BYTES) {
      out.push(item(g++, text()));
      fixed = [];
      parts = [];
      bytes = overhead + 2;
    }
    parts.push(s);
    bytes += parts.length === 1 ? Buffer.byteLength(`"ev":[${s}]`, 'utf8') + (fixed.length > 0 ? 1 : 0) : size;
  }
  if (parts.length > 0 || fixed.length > 0) out.push(item(g, text()));
  return out;
}

/** A page holding the points of `after` and those of `before` it drops: a step that removes nothing (see the writer). */
export function unionPage(after: Item, before: Item | undefined): Item {
  const a = parsePage(after);
  const had = new Set((a.ev ?? []).map((p) => p.i));
  const extra = (before ? (parsePage(before).ev ?? []) : []).filter((p) => !had.has(p.i));
  if (extra.length === 0) return after;
  const prefix = instancePrefix(agentOfPage(after.sk));
  return { ...after, j: compactJson(JSON.stringify({ ...a, ev: [...(a.ev ?? []), ...extra].sort(cmpPoints) }), prefix) };
}
